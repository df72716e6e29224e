/**
 * The central announcement, the capacity change and the closure of a tilbud on the running system (dev server,
 * real PostgreSQL and SMTP), driven through the JSON API, with the worker process killed (SIGKILL) while the
 * cases are sending their first e-mails and restarted: every step continues, none is lost or repeated, and
 * every e-mail arrives exactly once. (The refugee quota procedure has its own such test.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { killHard, postWhileRestarting, startWorkerProcess } from '../support/workerProcess';
import { startHarness, waitFor, type Harness } from '../support/harness';
import type { CaughtMessage } from '../../deploy/mailCatcher';

let h: Harness;
let worker: ChildProcess | undefined;

const killWorker = () => killHard(worker!);

beforeAll(async () => {
  h = await startHarness({ inProcessWorker: false });
  worker = startWorkerProcess(h.workerEnv);
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await h?.stop();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const api = async (method: string, p: string, body?: unknown) => {
  const res = await h.fetch(`${h.baseUrl}${p}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const start = async (procedure: string, input: unknown) => {
  const r = await api('POST', '/api/v1/cases', { procedure, input, requestId: crypto.randomUUID() });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.caseId as string;
};
type CaseDetail = { stage: string; status: string; journal: { description: string }[]; state: { openSteps?: string[]; approvals: Record<string, { key: string; steps: { body: string; status: string }[] }> } | null };
const detail = async (caseId: string) => (await api('GET', `/api/v1/cases/${encodeURIComponent(caseId)}`)).json as unknown as CaseDetail;
const act = async (caseId: string, action: string, input: unknown) => {
  const r = await api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/actions/${action}`, { input });
  expect(r.status, `${action}: ${JSON.stringify(r.json)}`).toBe(200);
};
const untilCase = (caseId: string, pred: (d: CaseDetail) => boolean, what: string) =>
  waitFor(async () => {
    const d = await detail(caseId);
    return pred(d) ? d : undefined;
    // A send cut off by the kill holds its outbox claim for the lease (2 minutes) before a retry takes it over.
  }, 240_000, `${what} (${caseId})`);
const currentBody = (d: CaseDetail, body: string) => Object.values(d.state?.approvals ?? {}).find((a) => a.steps.some((s) => s.body === body && s.status === 'current'));
async function approve(caseId: string, body: string): Promise<void> {
  const d = await untilCase(caseId, (x) => !!currentBody(x, body), `${body} to be current`);
  await act(caseId, 'recordDecision', { chain: currentBody(d, body)!.key, body, outcome: 'approved', meetingDate: day(0) });
}
const mailsOf = async (caseId: string, subject: string) => (await h.mail()).filter((m) => m.text.includes(caseId) && m.subject.startsWith(subject));
/** Each recipient got the message once. A send cut off between SMTP's 250 and the outbox update is sent again
 * after the claim's lease with the same Message-ID, which mail clients show as one message; so the count is of
 * distinct Message-IDs, and every recipient has exactly one. */
function oncePerRecipient(mails: CaughtMessage[]): void {
  const ids = new Map<string, Set<string>>();
  for (const m of mails) for (const to of m.envelopeTo) ids.set(to, (ids.get(to) ?? new Set()).add(m.headers['message-id'] ?? m.id));
  const doubled = [...ids].filter(([, s]) => s.size !== 1).map(([to]) => to);
  expect(doubled, 'recipients with more than one distinct message').toEqual([]);
}
/** No step journaled twice: a repeated description would be a repeated step. */
function noRepeatedSteps(d: CaseDetail): void {
  const seen = d.journal.map((j) => j.description);
  expect(seen.filter((x, i) => seen.indexOf(x) !== i)).toEqual([]);
}

describe('a killed worker on the running system', () => {
  it('continues the central announcement, the capacity change and the closure with no step lost or repeated', { timeout: 600_000 }, async () => {
    const central = await start('centralAnnouncement', {
      title: 'Tegnsprogsindsatser for børn og unge',
      targetGroup: 'Børn og unge, der har behov for tegnsprog som primært sprog',
      announcementDate: day(-1),
      request: 'Beskriv jeres nuværende indsats, samarbejdet med andre kommuner og jeres vurdering af behovet fremover.',
      collectionPartyIds: ['561', '461'],
      collectionDeadline: { wording: 'senest om tre uger', nominalDate: day(21) },
      submissionDeadline: { wording: 'senest om et halvt år', nominalDate: day(180) },
      withReservation: false,
      boardEmail: 'udmelding@sbst.example',
    });
    const capacity = await start('capacityChange', {
      operatorPartyId: '630',
      tilbudName: 'Bofællesskabet Ved Fjorden',
      targetGroup: 'Voksne med udviklingshæmning',
      kind: 'adjust',
      currentPlaces: 40,
      newPlaces: 52,
      effectiveDate: day(300),
      justifications: [
        'Ventelisten er vokset til 15 borgere gennem de seneste to år.',
        'Udvidelsen finansieres inden for den eksisterende takststruktur.',
        'Efterspørgslen fra andre kommuner er dokumenteret i belægningstallene.',
      ].slice(0, await requiredJustifications()),
    });
    const closure = await start('closure', {
      tilbudName: 'Botilbuddet Lærkereden',
      operatorPartyId: '461',
      operatorType: 'municipal',
      classification: 'closure',
      reason: 'Faldende efterspørgsel gennem tre år; pladserne dækkes af andre tilbud i regionen.',
      structure: 'standalone',
      standaloneConditions: { separateBudget: true, ownTakster: true, documentedCostKey: true },
      turnoverDecisionYear: '20000000',
      payers: [
        { partyId: '461', turnoverYearMinus2: '1650000', turnoverYearMinus1: '1650000' },
        { partyId: '479', turnoverYearMinus2: '2000000', turnoverYearMinus1: '2000000' },
        { partyId: '621', turnoverYearMinus2: '1350000', turnoverYearMinus1: '1350000' },
      ],
      actingMunicipalities: ['479', '621'],
      fuRecipients: ['fu@kkr-syddanmark.example'],
    });

    // Killed while the three cases send their first e-mails (23 broadcast messages for the capacity change alone).
    await h.waitForMail((m) => m.text.includes(capacity), 1, 60_000);
    await killWorker();
    worker = startWorkerProcess(h.workerEnv);

    // Central announcement: both parties answer after the restart; the draft, the chain and the submission follow.
    // An invitation cut off by the kill waits for the activity's start-to-close timeout (1 minute) and then for the
    // outbox claim's lease (2 minutes) before a retry sends it, so this wait must outlast both.
    const invitations = await h.waitForMail((m) => m.text.includes(central) && m.subject.startsWith('Central udmelding om Tegnsprogsindsatser'), 2, 240_000);
    for (const m of invitations) {
      const link = /http:\/\/127\.0\.0\.1(?::\d+)?(\/svar\/[A-Za-z0-9_.-]+)/.exec(m.text)![1]!;
      const r = await postWhileRestarting(h.fetch, `${h.baseUrl}${link}`, { text: `Svar fra ${m.envelopeTo[0]}: indsatsen koordineres i dag via kommunikationscentret.` });
      expect(r.status).toBe(200);
    }
    await untilCase(central, (d) => !!d.state?.openSteps?.includes('recordDraft'), 'the draft step');
    await act(central, 'recordDraft', { text: 'Udkast: indsatsen koordineres gennem kommunikationscentrene i Esbjerg og Odense.' });
    for (const body of ['SDF', 'K22', 'KKR']) await approve(central, body);
    await untilCase(central, (d) => !!d.state?.openSteps?.includes('submitReport'), 'the submission step');
    await act(central, 'submitReport', {});

    // Capacity change: SDF's statement, the report and the political decision.
    await approve(capacity, 'SDF');
    await untilCase(capacity, (d) => !!d.state?.openSteps?.includes('submitReport'), 'the report step');
    await act(capacity, 'submitReport', { text: 'Indberetning: Vejle udvider Bofællesskabet Ved Fjorden med 12 pladser.' });
    await untilCase(capacity, (d) => !!d.state?.openSteps?.includes('recordPoliticalDecision'), 'the political decision step');
    await act(capacity, 'recordPoliticalDecision', { approved: true, meetingDate: day(0) });

    // Closure: SDF's hearing, the decision and the provisional account, with a second kill in the middle.
    await approve(closure, 'SDF');
    await untilCase(closure, (d) => !!d.state?.openSteps?.includes('recordClosureDecision'), 'the decision step');
    await act(closure, 'recordClosureDecision', { decisionDate: day(0), closingDate: day(120) });
    await killWorker();
    worker = startWorkerProcess(h.workerEnv);
    await untilCase(closure, (d) => !!d.state?.openSteps?.includes('submitProvisionalAccount'), 'the provisional account step');
    await act(closure, 'submitProvisionalAccount', { income: '18000000', costs: '20000000', carriedForward: '0' });

    const c1 = await untilCase(central, (d) => d.status === 'completed', 'the central announcement to be submitted');
    const c2 = await untilCase(capacity, (d) => d.stage === 'Vedtaget – afventer ikrafttræden', 'the capacity change to be adopted');
    const c3 = await untilCase(closure, (d) => !d.state?.openSteps?.includes('submitProvisionalAccount') && d.journal.some((j) => /foreløbige lukkeregnskab/i.test(j.description)), 'the provisional account');
    for (const d of [c1, c2, c3]) noRepeatedSteps(d);

    // Every e-mail exactly once per recipient, including those in flight when the worker was killed.
    expect(invitations).toHaveLength(2);
    oncePerRecipient(await mailsOf(central, 'Central udmelding om Tegnsprogsindsatser'));
    const submitted = (await h.mail()).filter((m) => m.envelopeTo.includes('udmelding@sbst.example') && m.text.includes(central));
    expect(submitted).toHaveLength(1);
    const broadcast = await mailsOf(capacity, 'Oprettelse af pladser ud over den frie grænse');
    expect(broadcast.length).toBeGreaterThanOrEqual(23);
    oncePerRecipient(broadcast);
    const possible = await mailsOf(closure, 'Mulig lukning');
    expect(possible.length).toBeGreaterThanOrEqual(2);
    oncePerRecipient(possible);
    oncePerRecipient(await mailsOf(closure, 'Høring i Socialdirektørforum'));
    const notices = await mailsOf(closure, 'Meddelelse om lukning');
    expect(notices.length).toBeGreaterThanOrEqual(2);
    oncePerRecipient(notices);
    // And the outbox agrees: nothing waits, nothing was sent twice.
    const { rows } = await h.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM email_outbox WHERE case_id = ANY($1) AND status <> 'sent'`,
      [[central, capacity, closure]],
    );
    expect(rows[0]!.n).toBe(0);
  });
});

/** How many Tabel 4.1 justifications an expansion owes, from the calculation endpoint (not hard-coded here). */
async function requiredJustifications(): Promise<number> {
  const r = await api('POST', '/api/v1/calculations/capacity-change', { operatorType: 'municipal', kind: 'adjust', currentPlaces: 40, newPlaces: 52, effectiveDate: day(300) });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return (r.json.justifications as string[]).length;
}
