/**
 * Reminders through an SMTP outage, on the walked-through calendar: SMTP is down for half a day across a reminder
 * of a collection; when it is back, every reminder arrives exactly once (none lost, none doubled), later reminders
 * arrive on their own days, and the party that answered early gets none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { caseState as state, sleepUntil as sleepUntilOn, startCalendarHarness, until, type CalendarHarness } from '../support/calendarHarness';
import { centralAnnouncementInputSchema, centralAnnouncementProcedure } from '../../api/procedures/centralAnnouncement';

let h: CalendarHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso);
const smtp = async (op: 'stop' | 'start') => {
  const res = await fetch(inject('mailApiUrl').replace(/\/api\/messages$/, `/api/smtp/${op}`), { method: 'POST' });
  expect(res.status).toBe(204);
};

beforeAll(async () => {
  h = await startCalendarHarness('2023-03-01 08:00:00');
});
afterAll(async () => {
  await smtp('start').catch(() => undefined);
  await h?.stop();
});

describe('reminders through an SMTP outage', () => {
  it('sends each reminder exactly once when SMTP comes back, and none to the party that answered', { timeout: 300_000 }, async () => {
    const caseId = `CU-OUTAGE-${Date.now()}`;
    const parsed = centralAnnouncementInputSchema.parse({
      title: 'Tegnsprogsindsatser under nedbrud',
      targetGroup: 'Børn og unge, der bruger tegnsprog som primært sprog',
      announcementDate: '2023-03-01',
      request: 'Beskriv indsatsen og samarbejdet med kommunikationscentret i jeres kommune.',
      collectionPartyIds: ['461', '621', '630'],
      // Friday 31 March 2023; the default ladder: 14, 7 and 1 working days before, on the day, escalation after.
      collectionDeadline: { wording: 'senest fredag den 31. marts 2023', nominalDate: '2023-03-31' },
      submissionDeadline: { wording: 'senest den 1. juli 2023', nominalDate: '2023-07-01' },
      withReservation: false,
      boardEmail: 'udmelding@sbst.example',
    });
    const today = new Date(await h.env.currentTimeMs()).toISOString().slice(0, 10);
    const [input] = await centralAnnouncementProcedure.toWorkflowArgs(parsed, { caseId, actor: 'sekretariatet (test)', publicUrl: 'http://127.0.0.1', pool: h.pool, today });
    const handle = await h.env.client.workflow.start(centralAnnouncementProcedure.workflowType, { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    await until(handle, (s) => s.collections.collection?.status === 'open', 'the collection');
    // Kolding answers at once.
    await handle.executeUpdate('submitAnswer', { args: [{ collection: 'collection', partyId: '621', answer: { text: 'Kolding koordinerer gennem CSV Vejle/Kolding.' }, actor: 'Kolding (link)' }] });

    const mine = async () => (await h.mail()).filter((m) => m.text.includes(caseId));
    const reminders = async (town: string) => (await mine()).filter((m) => m.envelopeTo.includes(`sagsbehandler@${town}.kommune.example`) && m.subject.startsWith('Påmindelse'));
    await sleepUntil('2023-03-10T12:00:00Z');
    expect(await reminders('odense')).toHaveLength(0);

    // SMTP down from midnight until the afternoon of 13 March, across the 08:00 reminder (14 working days before).
    await sleepUntil('2023-03-12T23:00:00Z');
    await smtp('stop');
    await sleepUntil('2023-03-13T14:00:00Z');
    expect(await reminders('odense')).toHaveLength(0);
    const waiting = await h.pool.query<{ n: string }>("SELECT count(*) AS n FROM email_outbox WHERE case_id = $1 AND status <> 'sent'", [caseId]);
    expect(Number(waiting.rows[0]!.n)).toBeGreaterThan(0);
    await smtp('start');
    // The retries (backoff up to 5 minutes) deliver what waited.
    await sleepUntil('2023-03-13T15:00:00Z');
    for (const town of ['odense', 'vejle']) {
      const got = await reminders(town);
      expect(got.map((m) => m.subject), town).toHaveLength(1);
    }

    // The rest of the ladder on its own days; then the deadline passes.
    await sleepUntil('2023-04-03T12:00:00Z');
    const s = await state(handle);
    expect(s.deadlines.collection!.status).toBe('expired');
    for (const town of ['odense', 'vejle']) {
      const got = await reminders(town);
      // 14 (after the outage), 7 and 1 working days before, and on the day: four, each once.
      expect(got, town).toHaveLength(4);
      expect(new Set(got.map((m) => m.headers['message-id'])).size).toBe(4);
    }
    expect(await reminders('kolding')).toHaveLength(0);
    const unsent = await h.pool.query<{ n: string }>("SELECT count(*) AS n FROM email_outbox WHERE case_id = $1 AND status <> 'sent'", [caseId]);
    expect(Number(unsent.rows[0]!.n)).toBe(0);
    await handle.terminate('test done');
  });
});
