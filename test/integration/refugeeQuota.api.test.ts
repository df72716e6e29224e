/**
 * The refugee quota procedure on the running system (dev server, real PostgreSQL and SMTP): started through
 * the API, answered by municipalities through the signed links in their e-mails, with the worker process
 * killed (SIGKILL) in the middle and restarted: no step lost, none repeated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { killHard, postWhileRestarting, startWorkerProcess } from '../support/workerProcess';
import { startHarness, waitFor, type Harness } from '../support/harness';
import type { CaughtMessage } from '../../deploy/mailCatcher';
import { calculatedQuotasFor } from '../../api/procedures/refugeeQuota';

let h: Harness;
let worker: ChildProcess | undefined;


beforeAll(async () => {
  h = await startHarness({ inProcessWorker: false });
  worker = startWorkerProcess(h.workerEnv);
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await h?.stop();
});

const regionQuotas = { 'Region Hovedstaden': 135, 'Region Sjælland': 81, 'Region Syddanmark': 125, 'Region Midtjylland': 141, 'Region Nordjylland': 68 };
const agencyQuotas2028 = calculatedQuotasFor({ landstal: 550, regionQuotas, region: 'Region Syddanmark' }).map((q) => ({
  kommunenr: q.kommunenr,
  quota: q.quota + (q.kommunenr === 461 ? 1 : q.kommunenr === 621 ? -1 : 0),
}));

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function linkIn(m: CaughtMessage): string {
  const url = /http:\/\/127\.0\.0\.1(\/svar\/[A-Za-z0-9_.-]+)/.exec(m.text)?.[1];
  if (!url) throw new Error(`no answer link in: ${m.text}`);
  return `${h.baseUrl}${url}`;
}

describe('refugee quota agreement on the running system', () => {
  it('municipalities answer through their own signed links; a killed worker resumes without losing or repeating a step', async () => {
    const res = await h.fetch(`${h.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `fly-${Date.now()}` },
      body: JSON.stringify({
        procedure: 'refugeeQuota',
        input: {
          quotaYear: 2028,
          landstal: 550,
          region: 'Region Syddanmark',
          regionQuotas: { 'Region Hovedstaden': 135, 'Region Sjælland': 81, 'Region Syddanmark': 125, 'Region Midtjylland': 141, 'Region Nordjylland': 68 },
          announcementDate: future(0),
          deadlines: {
            positions: { wording: 'senest om 30 dage', rule: 'generalShift', nominalDate: future(30) },
            agreement: { wording: 'inden den 10. september', rule: 'generalShift', nominalDate: future(120) },
            fallback: { wording: 'inden den 30. september', rule: 'noShift', nominalDate: future(140) },
          },
          agencyEmail: 'asylkontor@us.example',
          // The agency's Bilag B for 2028, as the secretariat pastes it: here the 2024 formula with one person
          // moved from Kolding to Odense, so the case shows that the agency's figures, not the 2024 data, are used.
          agencyQuotas: agencyQuotas2028,
        },
      }),
    });
    expect(res.status).toBe(201);
    const { caseId } = (await res.json()) as { caseId: string };
    const invitations = await h.waitForMail((m) => m.text.includes(caseId) && m.subject.startsWith('Fordeling af flygtninge 2028'), 22, 60_000);
    expect(invitations).toHaveLength(22);
    const byTo = (addr: string) => invitations.find((m) => m.envelopeTo.includes(addr))!;
    const odense = byTo('sagsbehandler@odense.kommune.example');
    expect(odense.text).toContain('Odense (461): 14');
    expect(odense.attachments.some((a) => a.filename === 'frist.ics')).toBe(true);

    // Odense answers through its own link.
    const odenseLink = linkIn(odense);
    const form = await h.fetch(odenseLink);
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain('Du svarer for <strong>Odense</strong>');
    const answered = await h.fetch(odenseLink, { method: 'POST', body: new URLSearchParams({ position: 'object', reason: 'Boligsituationen i Odense' }) });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('Tak for svaret');

    // The same link again: already answered, explained.
    const again = await h.fetch(odenseLink);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('allerede svaret');
    // A tampered link (Odense's token with Kolding's party) is refused.
    const [payload, mac] = odenseLink.split('/svar/')[1]!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as string[];
    claims[2] = '621';
    const forged = `${h.baseUrl}/svar/${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
    const forgedRes = await h.fetch(forged, { method: 'POST', body: new URLSearchParams({ position: 'agree' }) });
    expect(forgedRes.status).toBe(400);
    expect(await forgedRes.text()).toContain('Linket er ugyldigt');

    // Bad input on the form keeps the page and says what is wrong, in Danish.
    const kolding = linkIn(byTo('sagsbehandler@kolding.kommune.example'));
    const bad = await h.fetch(kolding, { method: 'POST', body: new URLSearchParams({ position: 'object', reason: '' }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Begrundelse: Angiv en begrundelse');

    // Kill the worker mid-procedure, hard, and start a new one.
    await killHard(worker!);
    worker = startWorkerProcess(h.workerEnv);

    // Every other municipality answers after the restart.
    for (const m of invitations.filter((x) => x !== odense)) {
      const r = await postWhileRestarting(h.fetch, linkIn(m), { position: 'agree' });
      expect(r.status, `answer from ${m.envelopeTo[0]}`).toBe(200);
    }
    const detail = await waitFor(async () => {
      const d = (await (await h.fetch(`${h.baseUrl}/api/v1/cases/${caseId}`)).json()) as { stage: string; journal: { description: string }[] };
      return d.stage.includes('K22') ? d : undefined;
    }, 60_000, 'the case to reach K22');
    // Each answer is journaled exactly once, and nobody got a second invitation after the restart.
    const answers = detail.journal.filter((j) => j.description.startsWith('Kommunernes tilbagemelding på fordelingen: svar fra'));
    expect(answers).toHaveLength(22);
    expect(new Set(answers.map((a) => a.description)).size).toBe(22);
    const allForCase = (await h.mail()).filter((m) => m.text.includes(caseId) && m.subject.startsWith('Fordeling af flygtninge 2028'));
    expect(allForCase).toHaveLength(22);

    // The secretariat's steps go through the actions endpoint; a step that is not due is refused (409) and changes nothing.
    const early = await h.fetch(`${h.baseUrl}/api/v1/cases/${caseId}/actions/recordKkrDecision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { choice: 'followCalculated', landstalClause: 'survives', meetingDate: future(0) } }),
    });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { message: string }).message).toContain('afventer ikke KKR');
    const extend = await h.fetch(`${h.baseUrl}/api/v1/cases/${caseId}/actions/extendDeadline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { deadlineKey: 'agreement', newDate: future(125), reason: 'Aftalt med Udlændingestyrelsen' } }),
    });
    expect(extend.status).toBe(200);
    const after = (await (await h.fetch(`${h.baseUrl}/api/v1/cases/${caseId}`)).json()) as { journal: { description: string; actor: string }[] };
    const ext = after.journal.find((j) => j.description.startsWith('Fristforlængelse'));
    expect(ext?.description).toContain('Aftalt med Udlændingestyrelsen');
    expect(ext?.actor).not.toBe('');
    const withdraw = await h.fetch(`${h.baseUrl}/api/v1/cases/${caseId}/actions/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { reason: 'Testsag afsluttes' } }),
    });
    expect(withdraw.status).toBe(200);
    await waitFor(async () => {
      const { rows } = await h.pool.query('SELECT status FROM case_summary WHERE case_id = $1', [caseId]);
      return rows[0]?.status === 'withdrawn';
    }, 30_000, 'the case to be withdrawn');
  });
});
