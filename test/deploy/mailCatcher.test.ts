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

describe('clients that drop their connection', () => {
  it('survive a client killed in the middle of a transaction, again and again (a killed worker does that)', async () => {
    const net = await import('node:net');
    const { port } = new URL(catcher.smtpUrl);
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const s = net.connect(Number(port), '127.0.0.1');
        s.on('error', () => undefined);
        s.once('data', () => {
          s.write('EHLO worker\r\nMAIL FROM:<a@kkr-test.example>\r\n');
          setTimeout(() => {
            s.resetAndDestroy();
            resolve();
          }, 50);
        });
      });
    }
    await new Promise((r) => setTimeout(r, 100));
    await send('Efter afbrudte forbindelser', 'stadig i live');
    expect((await list('')).some((m) => m.subject === 'Efter afbrudte forbindelser')).toBe(true);
  });
});
