/**
 * Capacity changes (Rammeaftale Bilag 4, Tabel 4.1) walked through their calendar on the time-skipping test
 * server, with the real activities against PostgreSQL (the capacity register) and SMTP. One server clock for the
 * file: each case starts where the previous one left the calendar (2023 → 2024) and moves it only forward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import type { CapacityChangeDetails, CapacityChangeInput } from '../../workflows/capacityChange/contract';
import { caseState as state, refusal, sleepUntil as sleepUntilOn, startCalendarHarness, until, type CalendarHarness } from '../support/calendarHarness';
import { Worker } from '@temporalio/worker';
import { replayWorkflowOptions } from '../support/workflowBundle';
import path from 'node:path';
import { recordHistory } from '../support/histories';

let h: CalendarHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso);

beforeAll(async () => {
  h = await startCalendarHarness('2023-01-09 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});


const details = (s: CaseState) => s.details as unknown as CapacityChangeDetails;

/** The reason a workflow gave for refusing an Update (the validator's message). */

/** Polls the case (in real time, without skipping) until the workflow has reached what the test expects. */

/** The case's history replays on the current workflow code: a worker that lost it from its cache can resume. */
async function replays(handle: WorkflowHandle): Promise<void> {
  await Worker.runReplayHistory(replayWorkflowOptions(path.join(__dirname, '../../workflows/index.ts')), await handle.fetchHistory(), handle.workflowId);
}

async function mailsOf(caseId: string) {
  return (await h.mail()).filter((m) => m.text.includes(caseId));
}

async function registerTilbud(name: string, operatorPartyId: string, fixedPlaces: number): Promise<number> {
  const { rows } = await h.pool.query<{ id: number }>(
    "INSERT INTO tilbud (name, operator_party_id, target_group, fixed_places) VALUES ($1, $2, 'Voksne med udviklingshæmning', $3) RETURNING id",
    [name, operatorPartyId, fixedPlaces],
  );
  return rows[0]!.id;
}

async function tilbudRow(id: number) {
  const { rows } = await h.pool.query<{ fixed_places: number; temporary_places: number }>('SELECT fixed_places, temporary_places FROM tilbud WHERE id = $1', [id]);
  return rows[0]!;
}

async function history(caseId: string) {
  const { rows } = await h.pool.query<{ entry_key: string; kind: string; change_date: string; old_places: number; new_places: number }>(
    "SELECT entry_key, kind, to_char(change_date, 'YYYY-MM-DD') AS change_date, old_places, new_places FROM tilbud_capacity_history WHERE case_id = $1 ORDER BY id",
    [caseId],
  );
  return rows;
}

const EXPANSION_JUSTIFICATIONS = [
  'Ventelisten er på 12 borgere; taksten falder med ca. 2 % ved 10 ekstra pladser, da faste udgifter fordeles på flere pladser.',
  'Efterspørgslen efter tilsvarende pladser i Region Syddanmark er høj; vi forventer ingen tomme pladser hos andre udbydere.',
];

function baseInput(caseId: string, over: Partial<CapacityChangeInput>): CapacityChangeInput {
  return {
    operator: { partyId: '630', name: 'Vejle', type: 'municipal' },
    tilbud: { name: 'Bofællesskabet Fjordbo', targetGroup: 'Voksne med udviklingshæmning' },
    kind: 'adjust',
    currentPlaces: 70,
    newPlaces: 70,
    effectiveDate: '2023-12-01',
    politicalTreatmentDate: null,
    justifications: [],
    otherUserMunicipalities: [],
    startedBy: 'sekretariatet (test)',
    caseUrl: `http://127.0.0.1/sager/${caseId}`,
    ...over,
  };
}

describe('capacity change (Rammeaftale Bilag 4, Tabel 4.1)', { timeout: 300_000 }, () => {
  it('free change 70 → 77: no forum, no broadcast, registered on the effective date', async () => {
    await sleepUntil('2023-01-09T08:00:00Z');
    const caseId = `KAP-FREE-${Date.now()}`;
    const tilbudId = await registerTilbud('Bostedet Engly', '461', 70);
    const input = baseInput(caseId, { operator: { partyId: '461', name: 'Odense', type: 'municipal' }, tilbud: { id: tilbudId, name: 'Bostedet Engly', targetGroup: 'Voksne med udviklingshæmning' }, newPlaces: 77, effectiveDate: '2023-02-01' });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === 'Fri ændring – afventer ikrafttræden', 'the free route');
    expect(details(s).classification).toMatchObject({ route: 'free', freeLimit: 7, forumStep: 'none', reportDeadline: null });
    expect(s.deadlines.report).toBeUndefined();
    // Nothing to report and nothing to decide on a free change.
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{ text: 'Indberetning af ændringen', actor: 'Odense' }] }))).toMatch(/afventes ingen indberetning/);
    expect(await refusal(handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-01-09', actor: 'Odense' }] }))).toMatch(/afventer ikke en politisk beslutning/);

    // The evening before (Copenhagen time) nothing has changed; at 00:00 on 1 February it has.
    await sleepUntil('2023-01-31T22:00:00Z');
    expect((await tilbudRow(tilbudId)).fixed_places).toBe(70);
    await sleepUntil('2023-01-31T23:30:00Z');
    s = await until(handle, (x) => x.status === 'completed', 'the registration');
    expect(s.stage).toBe('Registreret');
    expect(await tilbudRow(tilbudId)).toEqual({ fixed_places: 77, temporary_places: 0 });
    expect(await history(caseId)).toEqual([{ entry_key: 'permanent', kind: 'permanent', change_date: '2023-02-01', old_places: 70, new_places: 77 }]);
    expect(await mailsOf(caseId)).toHaveLength(0);
    expect(s.journal.map((j) => j.description).join('\n')).toMatch(/Kapacitetsregistret er opdateret .*70 → 77 faste pladser med virkning fra onsdag 1\. februar 2023/);
    await replays(handle);
    await recordHistory(handle, 'capacityChange.free');
  });

  it('expansion 70 → 80: SDF statement, broadcast, late report, political decision, temporary staffing, register on the effective date', async () => {
    await sleepUntil('2023-03-06T08:00:00Z');
    const caseId = `KAP-EXP-${Date.now()}`;
    const tilbudId = await registerTilbud('Bofællesskabet Fjordbo', '630', 70);
    const input = baseInput(caseId, {
      tilbud: { id: tilbudId, name: 'Bofællesskabet Fjordbo', targetGroup: 'Voksne med udviklingshæmning' },
      newPlaces: 80,
      effectiveDate: '2023-10-01',
      politicalTreatmentDate: '2023-08-29',
      justifications: EXPANSION_JUSTIFICATIONS,
      otherUserMunicipalities: [{ partyId: '751', name: 'Aarhus' }],
    });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage.includes('Socialdirektørforum') && x.approvals.sdf !== undefined, 'the SDF statement step');
    expect(details(s).classification).toMatchObject({ route: 'expansion', tableRow: 2, freeLimit: 7, forumStep: 'statement', reportDeadlineBasis: 'threeMonthsBefore' });
    // Three months before Sunday 1 October is Saturday 1 July, moved back to Friday 30 June.
    expect(s.deadlines.report!.plan.deadline).toMatchObject({ dueDate: '2023-06-30', shiftedFrom: '2023-07-01', rule: 'backwardShift' });
    expect(s.approvals.sdf!.steps[0]).toMatchObject({ body: 'SDF', status: 'current', plannedMeeting: '2023-05-16' });

    // The broadcast: 22 municipalities and the Region, plus the user municipality Aarhus.
    const broadcast = (await mailsOf(caseId)).filter((m) => m.subject.startsWith('Oprettelse af pladser ud over den frie grænse'));
    expect(broadcast).toHaveLength(24);
    expect(broadcast.filter((m) => m.envelopeTo.some((a) => a.endsWith('.kommune.example'))).length).toBe(23);
    expect(broadcast.filter((m) => m.envelopeTo.includes('sagsbehandler@regionsyddanmark.example'))).toHaveLength(1);
    expect(broadcast.filter((m) => m.envelopeTo.includes('sagsbehandler@aarhus.kommune.example'))).toHaveLength(1);
    expect(broadcast[0]!.text).toContain('Udvidelsen begrundes');

    // A temporary up-staffing meanwhile: it shows as temporary places and never touches the fixed places.
    expect(await refusal(handle.executeUpdate('recordTemporaryStaffing', { args: [{ places: -71, from: '2023-03-06', reason: 'Nedlukning', actor: 'Vejle' }] }))).toMatch(/højst være 70 pladser/);
    expect(await refusal(handle.executeUpdate('recordTemporaryStaffing', { args: [{ places: 5, from: '2023-10-02', reason: 'Opnormering', actor: 'Vejle' }] }))).toMatch(/før den varige ændring træder i kraft/);
    await handle.executeUpdate('recordTemporaryStaffing', { args: [{ places: 5, from: '2023-03-13', reason: 'Ventelisten kræver midlertidigt 5 ekstra pladser', actor: 'Vejle (driftsherre)' }] });
    expect(await tilbudRow(tilbudId)).toEqual({ fixed_places: 70, temporary_places: 5 });
    // The political decision is not due before SDF has treated the case.
    expect(await refusal(handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-03-06', actor: 'Vejle' }] }))).toMatch(/når Socialdirektørforum har behandlet sagen/);

    // SDF gives its statement at its meeting on 16 May; a statement advises, it does not decide.
    await sleepUntil('2023-05-16T14:00:00Z');
    await handle.executeUpdate('recordDecision', { args: [{ chain: 'sdf', body: 'SDF', outcome: 'approved', meetingDate: '2023-05-16', actor: 'sekretariatet' }] });
    s = await until(handle, (x) => x.stage === 'Afventer politisk beslutning', 'the political decision step');
    expect(details(s).forum).toMatchObject({ body: 'SDF', outcome: 'approved', meetingDate: '2023-05-16' });
    expect(s.journal.map((j) => j.description).join('\n')).toMatch(/Socialdirektørforum har afgivet en positiv udtalelse/);

    // Nobody reports by Friday 30 June: reminders to Vejle and the secretariat, then the late flag and escalation.
    await sleepUntil('2023-07-04T12:00:00Z');
    s = await until(handle, (x) => details(x).reportLate && x.journal.some((j) => j.description.includes('eskaleret')), 'the late flag and the escalation');
    expect(s.warnings.join('\n')).toMatch(/Fristen for indberetning \(fredag 30\. juni 2023\) er overskredet/);
    const notices = s.deadlines.report!.plan.points.filter((p) => p.kind === 'reminder' || p.kind === 'due');
    expect(notices.map((p) => p.kind)).toEqual(['reminder', 'reminder', 'reminder', 'due']);
    const mails = await mailsOf(caseId);
    const toVejle = mails.filter((m) => m.envelopeTo.includes('sagsbehandler@vejle.kommune.example'));
    expect(toVejle.filter((m) => /^(Påmindelse|Sidste frist i dag): indberetning/.test(m.subject))).toHaveLength(4);
    expect(toVejle.filter((m) => m.subject.startsWith('Kapacitetsændring for Bofællesskabet Fjordbo: indberetning senest'))).toHaveLength(1);
    const toSecretariat = mails.filter((m) => m.envelopeTo.includes('sekretariat@kkr-test.example'));
    expect(toSecretariat.filter((m) => /^(Påmindelse|Sidste frist i dag): indberetning/.test(m.subject))).toHaveLength(4);
    expect(toSecretariat.filter((m) => m.subject.startsWith('Eskalering: kapacitetsændring'))).toHaveLength(1);
    expect(toVejle.find((m) => m.subject.startsWith('Påmindelse'))!.attachments.some((a) => a.filename === 'frist.ics' && a.content.includes('DTSTART;VALUE=DATE:20230630'))).toBe(true);

    // The late report is accepted and flagged.
    const late = await handle.executeUpdate('submitReport', { args: [{ text: 'Indberettet i indberetningsdatabasen 4. juli 2023', actor: 'Vejle (driftsherre)' }] });
    expect(late).toEqual({ late: true, dueDate: '2023-06-30' });
    s = await until(handle, (x) => x.deadlines.report!.status === 'expired', 'the report to close');
    expect(s.warnings.join('\n')).toMatch(/indberettet for sent/);
    expect(s.journal.find((j) => j.description.includes('EFTER FRISTEN'))?.actor).toBe('Vejle (driftsherre)');
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{ text: 'Indberettet igen i databasen', actor: 'Vejle' }] }))).toMatch(/allerede indberettet/);

    // The council decides on 29 August; the register changes only on 1 October (00:00 Copenhagen time).
    await sleepUntil('2023-08-29T15:00:00Z');
    expect(await refusal(handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-09-05', actor: 'Vejle' }] }))).toMatch(/fremtiden/);
    await handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-08-29', actor: 'Vejle Byråd (sekretariatet)' }] });
    await until(handle, (x) => x.stage === 'Vedtaget – afventer ikrafttræden', 'waiting for the effective date');
    await sleepUntil('2023-09-30T21:30:00Z');
    expect(await tilbudRow(tilbudId)).toEqual({ fixed_places: 70, temporary_places: 5 });
    await sleepUntil('2023-09-30T22:30:00Z');
    s = await until(handle, (x) => x.status === 'completed', 'the registration');
    expect(s.stage).toBe('Registreret');
    expect(await tilbudRow(tilbudId)).toEqual({ fixed_places: 80, temporary_places: 0 });
    expect(await history(caseId)).toEqual([
      { entry_key: 'temporary:1', kind: 'temporary', change_date: '2023-03-13', old_places: 0, new_places: 5 },
      { entry_key: 'permanent', kind: 'permanent', change_date: '2023-10-01', old_places: 70, new_places: 80 },
      { entry_key: 'temporary:end', kind: 'temporary', change_date: '2023-10-01', old_places: 5, new_places: 0 },
    ]);
    const journal = await h.pool.query<{ description: string; actor: string }>('SELECT description, actor FROM case_journal WHERE case_id = $1 ORDER BY entry_key', [caseId]);
    expect(journal.rows.find((r) => r.description.startsWith('Midlertidig opnormering med 5 pladser'))?.actor).toBe('Vejle (driftsherre)');
    expect(journal.rows.find((r) => r.description.startsWith('Politisk beslutning'))?.actor).toBe('Vejle Byråd (sekretariatet)');
    expect(journal.rows.map((r) => r.description).join('\n')).toMatch(/70 → 80 faste pladser med virkning fra søndag 1\. oktober 2023; den midlertidige normering \(\+5 pladser\) ophører/);
    await replays(handle);
    await recordHistory(handle, 'capacityChange.expansion');
  });

  it('new regional tilbud: SDF sends it back once, then rejects it; the approval blocks and nothing is registered', async () => {
    await sleepUntil('2023-10-09T08:00:00Z');
    const caseId = `KAP-REG-${Date.now()}`;
    const input = baseInput(caseId, {
      operator: { partyId: 'region-syddanmark', name: 'Region Syddanmark', type: 'regional' },
      tilbud: { name: 'Specialcenter Kystly', targetGroup: 'Unge med spiseforstyrrelser' },
      kind: 'newTilbud',
      currentPlaces: 0,
      newPlaces: 12,
      effectiveDate: '2024-06-01',
      justifications: ['Ingen tilsvarende pladser i regionen; ventetid på 9 måneder påvirker ikke eksisterende tilbud.'],
    });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === 'Godkendelse i Socialdirektørforum: behandles i Socialdirektørforum', 'the SDF approval step');
    expect(details(s).classification).toMatchObject({ route: 'newTilbud', forumStep: 'approval', blockingApproval: true });
    expect(await refusal(handle.executeUpdate('recordTemporaryStaffing', { args: [{ places: 2, from: '2023-10-09', reason: 'Opstart', actor: 'Regionen' }] }))).toMatch(/eksisterende tilbud/);
    expect(await refusal(handle.executeUpdate('recordDecision', { args: [{ chain: 'sdf', body: 'FU', outcome: 'rejected', meetingDate: '2023-10-09', actor: 'sekretariatet' }] }))).toMatch(/afventer behandling i Socialdirektørforum/);
    expect((await mailsOf(caseId)).filter((m) => m.subject.startsWith('Oprettelse af nyt tilbud'))).toHaveLength(23);

    // SDF first sends the case back: the justification is revised, told again to everyone, and treated again.
    await sleepUntil('2023-10-24T14:00:00Z');
    await handle.executeUpdate('recordDecision', { args: [{ chain: 'sdf', body: 'SDF', outcome: 'amend', meetingDate: '2023-10-24', note: 'Virkningen for eksisterende tilbud skal uddybes', actor: 'sekretariatet' }] });
    await until(handle, (x) => x.stage === 'Begrundelserne skal revideres', 'the justification step');
    expect(await refusal(handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-10-24', actor: 'Regionen' }] }))).toMatch(/når Socialdirektørforum har behandlet sagen/);
    expect(await refusal(handle.executeUpdate('reviseJustifications', { args: [{ justifications: input.justifications, actor: 'Regionen' }] }))).toMatch(/uændrede/);
    expect(await refusal(handle.executeUpdate('reviseJustifications', { args: [{ justifications: [], actor: 'Regionen' }] }))).toMatch(/kræver 1 begrundelse/);
    await sleepUntil('2023-10-30T09:00:00Z');
    const revised = ['Ingen tilsvarende pladser i regionen; de 4 unge, der i dag er visiteret til Kystly-lignende tilbud i andre regioner, flyttes hjem.'];
    await handle.executeUpdate('reviseJustifications', { args: [{ justifications: revised, actor: 'Region Syddanmark (driftsherre)' }] });
    s = await until(handle, (x) => x.approvals.sdf?.round === 2 && x.stage === 'Godkendelse i Socialdirektørforum: behandles i Socialdirektørforum', 'the second SDF round');
    // The political calendar holds no SDF meeting before the tilbud is to open, and the case says so.
    expect(s.warnings.join('\n')).toMatch(/Intet møde i Socialdirektørforum før fristen 2024-06-01/);
    expect(details(s).justifications[0]!.text).toBe(revised[0]);
    expect((await mailsOf(caseId)).filter((m) => m.subject.startsWith('Revideret: Oprettelse af nyt tilbud'))).toHaveLength(23);

    await sleepUntil('2023-11-14T14:00:00Z');
    await handle.executeUpdate('recordDecision', { args: [{ chain: 'sdf', body: 'SDF', outcome: 'rejected', meetingDate: '2023-11-14', note: 'Behovet dækkes af eksisterende tilbud', actor: 'sekretariatet' }] });
    s = await until(handle, (x) => x.status === 'completed', 'the rejection');
    expect(s.stage).toBe('Afvist af Socialdirektørforum');
    expect(details(s).outcome).toBe('rejectedBySdf');
    expect(s.deadlines.report!.status).toBe('cancelled');
    expect(await refusal(handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-11-14', actor: 'Regionen' }] }))).toBeTruthy();
    const { rows } = await h.pool.query('SELECT id FROM tilbud WHERE created_by_case = $1', [caseId]);
    expect(rows).toHaveLength(0);
    expect(await history(caseId)).toEqual([]);
    expect((await mailsOf(caseId)).filter((m) => m.subject.startsWith('Nyt regionalt tilbud ikke godkendt'))).toHaveLength(23);
    await replays(handle);
    await recordHistory(handle, 'capacityChange.regionalRejected');
  });

  it('reduction 40 → 30: Forretningsudvalget is oriented (no decision), report due at the political treatment', async () => {
    await sleepUntil('2023-11-20T08:00:00Z');
    const caseId = `KAP-RED-${Date.now()}`;
    const tilbudId = await registerTilbud('Botilbuddet Skovly', '461', 40);
    const input = baseInput(caseId, {
      operator: { partyId: '461', name: 'Odense', type: 'municipal' },
      tilbud: { id: tilbudId, name: 'Botilbuddet Skovly', targetGroup: 'Voksne med sindslidelse' },
      currentPlaces: 40,
      newPlaces: 30,
      effectiveDate: '2024-03-01',
      politicalTreatmentDate: '2023-11-28',
      justifications: ['Belægningen har i to år været under 75 %, så 10 pladser nedlægges varigt.', 'Taksten stiger 3 %; betalingskommunerne betaler ca. 0,4 mio. kr. mere i alt om året.'],
    });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === 'Forretningsudvalget orienteret' || x.stage === 'Afventer politisk beslutning', 'the FU orientation');
    expect(details(s).classification).toMatchObject({ route: 'reduction', forumStep: 'orientation', forumBody: 'FU', reportDeadlineBasis: 'politicalTreatment' });
    expect(s.deadlines.report!.plan.deadline).toMatchObject({ dueDate: '2023-11-28', rule: 'noShift' });
    expect(Object.keys(s.approvals)).toEqual([]);
    const mails = await mailsOf(caseId);
    const fu = mails.filter((m) => m.envelopeTo.includes('forretningsudvalget@sdf.kkr-syddanmark.example'));
    expect(fu).toHaveLength(1);
    expect(fu[0]!.subject).toMatch(/^Orientering: nedlæggelse af pladser/);
    expect(fu[0]!.text).toContain('Orienteringen kræver ingen beslutning');
    expect(mails.filter((m) => m.subject.startsWith('Nedlæggelse af pladser ud over den frie grænse'))).toHaveLength(23);

    s = await until(handle, (x) => x.stage === 'Afventer politisk beslutning', 'the political decision step');
    expect(details(s).forum).toMatchObject({ body: 'FU', outcome: 'oriented', recipients: ['forretningsudvalget@sdf.kkr-syddanmark.example'] });
    expect(await refusal(handle.executeUpdate('submitReport', { args: [{ text: 'kort', actor: 'Odense' }] }))).toMatch(/mindst 10 tegn/);
    // Before the reminder one working day ahead (Monday 27 November, 08:00).
    await sleepUntil('2023-11-24T10:00:00Z');
    expect(await handle.executeUpdate('submitReport', { args: [{ text: 'Indberettet i indberetningsdatabasen 24. november 2023', actor: 'Odense (driftsherre)' }] })).toEqual({ late: false, dueDate: '2023-11-28' });
    await sleepUntil('2023-11-28T16:00:00Z');
    await handle.executeUpdate('recordPoliticalDecision', { args: [{ approved: true, meetingDate: '2023-11-28', actor: 'Odense Byråd (sekretariatet)' }] });
    s = await until(handle, (x) => x.stage === 'Vedtaget – afventer ikrafttræden', 'waiting for the effective date');
    expect(s.deadlines.report!.status).toBe('met');
    expect(details(s).reportLate).toBe(false);
    await sleepUntil('2024-02-29T23:30:00Z');
    s = await until(handle, (x) => x.status === 'completed', 'the registration');
    expect(await tilbudRow(tilbudId)).toEqual({ fixed_places: 30, temporary_places: 0 });
    expect(await history(caseId)).toEqual([{ entry_key: 'permanent', kind: 'permanent', change_date: '2024-03-01', old_places: 40, new_places: 30 }]);
    // Reported in time: no reminders went out after the report.
    expect((await mailsOf(caseId)).filter((m) => m.subject.startsWith('Påmindelse') || m.subject.startsWith('Eskalering'))).toHaveLength(0);
    await replays(handle);
    await recordHistory(handle, 'capacityChange.reduction');
  });

  it('closure: handed over to the closure procedure as a child case', async () => {
    await sleepUntil('2024-03-04T08:00:00Z');
    const caseId = `KAP-LUK-${Date.now()}`;
    const tilbudId = await registerTilbud('Værestedet Havnen', '461', 12);
    const input = baseInput(caseId, {
      operator: { partyId: '461', name: 'Odense', type: 'municipal' },
      tilbud: { id: tilbudId, name: 'Værestedet Havnen', targetGroup: 'Voksne med sindslidelse' },
      kind: 'closure',
      currentPlaces: 12,
      newPlaces: 0,
      effectiveDate: '2024-09-01',
      justifications: ['Tilbuddet lukkes, da efterspørgslen er faldet varigt til under halvdelen af pladserne.'],
      closure: {
        structure: 'standalone',
        turnoverDecisionYear: '20000000',
        payers: [
          { partyId: '461', name: 'Odense', turnoverYearMinus2: '10000000', turnoverYearMinus1: '10000000' },
          { partyId: '479', name: 'Svendborg', turnoverYearMinus2: '5000000', turnoverYearMinus1: '5000000' },
        ],
        actingMunicipalities: [{ partyId: '479', name: 'Svendborg' }],
      },
    });
    const handle = await h.env.client.workflow.start('capacityChange', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    const s = await until(handle, (x) => x.status === 'completed', 'the hand-over');
    expect(s.stage).toBe('Overdraget til lukningsproceduren');
    expect(details(s).closureCaseId).toBe(`${caseId}-LUK`);
    const child = await h.env.client.workflow.getHandle(`${caseId}-LUK`).describe();
    expect(child.type).toBe('closureOfTilbud');
    expect(child.parentExecution?.workflowId).toBe(caseId);
    expect(await history(caseId)).toEqual([]);
    await replays(handle);
    await recordHistory(handle, 'capacityChange.closureHandover');
    await h.env.client.workflow.getHandle(`${caseId}-LUK`).terminate('test done').catch(() => undefined);
  });
});
