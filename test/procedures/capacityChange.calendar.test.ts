/**
 * A capacity change (Rammeaftale Bilag 4, Tabel 4.1) walked through its calendar on the time-skipping test
 * server, with the real activities against PostgreSQL (the capacity register) and SMTP: the expansion, the
 * procedure's main path. The other routes (free change, new regional tilbud, reduction, closure hand-over) run
 * with in-memory activities in test/workflows/capacityChange.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import type { CapacityChangeDetails } from '../../workflows/capacityChange/contract';
import { caseState as state, refusal, sleepUntil as sleepUntilOn, startCalendarHarness, until, type CalendarHarness } from '../support/calendarHarness';
import { recordHistory } from '../support/histories';
import { capacityInput, expectReplays } from '../support/caseSteps';

let h: CalendarHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso);

beforeAll(async () => {
  h = await startCalendarHarness('2023-01-09 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});

const details = (s: CaseState) => s.details as unknown as CapacityChangeDetails;

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


describe('capacity change (Rammeaftale Bilag 4, Tabel 4.1)', { timeout: 300_000 }, () => {
  it('expansion 70 → 80: SDF statement, broadcast, late report, political decision, temporary staffing, register on the effective date', async () => {
    await sleepUntil('2023-03-06T08:00:00Z');
    const caseId = `KAP-EXP-${Date.now()}`;
    const tilbudId = await registerTilbud('Bofællesskabet Fjordbo', '630', 70);
    const input = capacityInput(caseId, {
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
    await expectReplays(handle);
    await recordHistory(handle, 'capacityChange.expansion');
  });

});
