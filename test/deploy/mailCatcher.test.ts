import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startMailCatcher, type CaughtMessage, type MailCatcher } from '../../deploy/mailCatcher';
import { freePort } from '../../deploy/services';

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: await freePort(), httpPort: 0 });
});
afterAll(async () => {
  await catcher?.stop();
});

const send = (subject: string, text: string) =>
  nodemailer.createTransport(catcher.smtpUrl).sendMail({ from: 'a@kkr-test.example', to: 'b@kkr-test.example', subject, text });
const list = async (query: string): Promise<CaughtMessage[]> => {
  const res = await fetch(`${catcher.webUrl}/api/messages${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as CaughtMessage[];
};

describe("the mail catcher's message API", () => {
  it('filters by arrival time and by the case a message names', async () => {
    await send('Sag KKR-2026-0001', 'Første besked.');
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString();
    await send('Påmindelse', 'Svar på sag KKR-2026-0002 mangler.');
    await send('Sag KKR-2026-0001 igen', 'Tredje besked.');

    expect((await list('')).map((m) => m.subject)).toEqual(['Sag KKR-2026-0001', 'Påmindelse', 'Sag KKR-2026-0001 igen']);
    expect((await list(`?since=${encodeURIComponent(between)}`)).map((m) => m.subject)).toEqual(['Påmindelse', 'Sag KKR-2026-0001 igen']);
    expect((await list('?case=KKR-2026-0002')).map((m) => m.subject)).toEqual(['Påmindelse']);
    expect((await list(`?case=KKR-2026-0001&since=${encodeURIComponent(between)}`)).map((m) => m.subject)).toEqual(['Sag KKR-2026-0001 igen']);
  });

  it('refuses a since that is not a time', async () => {
    const res = await fetch(`${catcher.webUrl}/api/messages?since=igår`);
    expect(res.status).toBe(400);
  });
});
