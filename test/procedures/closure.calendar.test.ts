/**
 * Closure of a tilbud walked through its real calendar on the time-skipping test server, with real PostgreSQL
 * and SMTP: the municipal closure of Beregningseksempel 1 (decided 15 March 2023, the operator late with the
 * provisional account), Beregningseksempel 2 (an economic unit, every step on time), a closure by an authority
 * (no settlement) and a relocation and a merger (not closures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowClient, type WorkflowHandle } from '@temporalio/client';
import { calculateClosureSettlement } from '../../domain/closureSettlement';
import { settlementInputFor, type ClosureDetails, type ClosureInput } from '../../workflows/closure/contract';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import { closureInputSchema } from '../../api/procedures/closure';
import { toJsonSchema } from '../../api/openapi';
import { caseState as state, refusal, sleepUntil as sleepUntilOn, startCalendarHarness, until, type CalendarHarness } from '../support/calendarHarness';
import { recordHistory } from '../support/histories';

const FU = 'fu-sdf@kkr-test.example';
const SECRETARIAT = 'sekretariat@kkr-test.example';
const ODENSE = 'sagsbehandler@odense.kommune.example';
const SVENDBORG = 'sagsbehandler@svendborg.kommune.example';
const KOLDING = 'sagsbehandler@kolding.kommune.example';
const MIDDELFART = 'sagsbehandler@middelfart.kommune.example';
// The stages an approval step shows once the case waits for the body.
const HEARING = 'Høring: behandles i Socialdirektørforum';
const AT_FU = 'Foreløbigt lukkeregnskab: behandles i Forretningsudvalget';
const AT_SDF = 'Endeligt lukkeregnskab: behandles i Socialdirektørforum';

/** Beregningseksempel 1: stand-alone, turnover 20.000.000; the operator (Odense) has 33 % of the pooled turnover. */
function example1(): ClosureInput {
  return {
    tilbudName: 'Bostedet Åbrinken',
    operator: { partyId: '461', name: 'Odense', type: 'municipal' },
    classification: 'closure',
    reason: 'Efterspørgslen er faldet, og tilbuddet kan ikke drives økonomisk forsvarligt',
    structure: 'standalone',
    turnoverDecisionYear: '20000000',
    payers: [
      { partyId: '461', name: 'Odense', turnoverYearMinus2: '1650000', turnoverYearMinus1: '1650000' },
      { partyId: '479', name: 'Svendborg', turnoverYearMinus2: '2000000', turnoverYearMinus1: '2000000' },
      { partyId: '621', name: 'Kolding', turnoverYearMinus2: '1350000', turnoverYearMinus1: '1350000' },
    ],
    actingMunicipalities: [
      { partyId: '479', name: 'Svendborg' },
      { partyId: '621', name: 'Kolding' },
    ],
    fuRecipients: [FU],
    startedBy: 'sekretariatet (test)',
  };
}

let h: CalendarHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso, { strict: true });

beforeAll(async () => {
  h = await startCalendarHarness('2023-03-01 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});



/** The workflow's result through a plain client: the time-skipping client unlocks time skipping while it waits,
 * and an idle server then jumps at once to its next timer (years ahead), spoiling the calendar of the next test. */
const resultOf = (handle: WorkflowHandle) =>
  new WorkflowClient({ connection: h.env.connection, namespace: h.env.namespace ?? 'default' }).getHandle(handle.workflowId).result();
const details = (s: CaseState) => s.details as unknown as ClosureDetails;

/** The reason a workflow gave for refusing an Update (the validator's message). */

/** Polls the case (in real time, without skipping) until the workflow has reached what the test expects. */

const update = (handle: WorkflowHandle, name: string, arg: object) => handle.executeUpdate(name, { args: [arg] });
const decide = (handle: WorkflowHandle, chain: string, body: string, outcome: string, meetingDate: string, note?: string) =>
  update(handle, 'recordDecision', { chain, body, outcome, meetingDate, ...(note ? { note } : {}), actor: 'sekretariatet (test)' });

async function caseMail(caseId: string) {
  const all = (await h.mail()).filter((m) => m.text.includes(caseId));
  return { all, to: (addr: string) => all.filter((m) => m.envelopeTo.includes(addr)) };
}

describe('closure of a tilbud (Rammeaftale 2023-2024, Bilag 4-6)', { timeout: 240_000 }, () => {
  it('Beregningseksempel 1: notices, FU, SDF hearing, decision 15 March 2023, notice period, late provisional account with reminders and escalation, final account, settlement per payer', async () => {
    const caseId = `LUK-EKS1-${Date.now()}`;
    const input = example1();
    const handle = await h.env.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === HEARING, 'the SDF hearing');
    expect(s.approvals.hearing!.steps[0]!.status).toBe('current');

    let mail = await caseMail(caseId);
    // Step 0: the acting and paying municipalities, not the operator, hear of a possible closure.
    const possible = mail.all.filter((m) => m.subject === 'Mulig lukning af Bostedet Åbrinken');
    expect(possible.flatMap((m) => m.envelopeTo).sort()).toEqual([KOLDING, SVENDBORG]);
    // Step 1: FU as a recipient list.
    expect(mail.to(FU).map((m) => m.subject)).toEqual(['Orientering: lukning af Bostedet Åbrinken']);
    // Step 3: every municipality of the region and the Region.
    expect(mail.all.filter((m) => m.subject.startsWith('Høring i Socialdirektørforum'))).toHaveLength(23);

    expect(await refusal(update(handle, 'recordClosureDecision', { decisionDate: '2023-03-01', closingDate: '2023-04-30', actor: 'Odense' }))).toMatch(/ikke aktuelt nu/);

    // SDF finds the places important: the cost of continuing must be documented before the decision.
    await sleepUntil('2023-03-07T12:00:00Z');
    await decide(handle, 'hearing', 'SDF', 'rejected', '2023-03-07', 'Pladserne har betydning for den samlede udbudsvifte');
    s = await until(handle, (x) => x.stage === 'Afventer dokumentation af omkostninger ved videreførelse', 'the continuation-cost step');
    expect(details(s).hearing).toMatchObject({ outcome: 'rejected', placesImportant: true, meetingDate: '2023-03-07' });
    expect(await refusal(update(handle, 'recordClosureDecision', { decisionDate: '2023-03-07', closingDate: '2023-04-30', actor: 'Odense' }))).toMatch(/økonomiske konsekvenser ved at videreføre tilbuddet skal dokumenteres/);
    expect(await refusal(update(handle, 'recordContinuationCost', { text: 'Underskudsdækning ved fortsat drift', amount: '-2500000', actor: 'Odense' }))).toMatch(/Beløb: Beløbet må ikke være negativt/);
    await update(handle, 'recordContinuationCost', { text: 'Fortsat drift kræver underskudsdækning på 2,5 mio. kr. om året', amount: '2500000', actor: 'Odense, socialdirektøren' });

    await sleepUntil('2023-03-15T09:00:00Z');
    expect(await refusal(update(handle, 'recordClosureDecision', { decisionDate: '2023-03-16', closingDate: '2023-04-30', actor: 'Odense' }))).toMatch(/fremtiden/);
    expect(await refusal(update(handle, 'recordClosureDecision', { decisionDate: '2023-03-15', closingDate: '2023-03-01', actor: 'Odense' }))).toMatch(/Lukkedatoen kan ikke ligge før/);
    await update(handle, 'recordClosureDecision', { decisionDate: '2023-03-15', closingDate: '2023-04-30', actor: 'Odense, byrådet' });
    s = await until(handle, (x) => x.stage === 'Afventer foreløbigt lukkeregnskab', 'the provisional account step');
    const d = details(s);
    expect(d.decision).toMatchObject({ decisionYear: 2023, ruleVersion: 'Rammeaftale 2023-2024', turnoverYears: [2021, 2022] });
    // "Løbende måned plus to måneder" from 15 March: the notice runs to the end of May (the literal reading; the
    // other reading, 3 months date to date, to 15 June). The tilbud closes on 30 April, so the handlekommuner
    // pay to 30 April (a closure is a notice duty on the provider, 002:2155-2158, not a buyer's termination),
    // and the short notice is a warning on the case.
    expect(d.notice).toMatchObject({ noticeDate: '2023-03-15', minimumEnd: '2023-05-31', paidThrough: '2023-04-30', closingBeforeNoticeEnd: true, other: { minimumEnd: '2023-06-15' } });
    expect(s.warnings).toEqual([
      'Lukkedatoen søndag 30. april 2023 ligger før opsigelsesvarslets udløb onsdag 31. maj 2023 (varslet er løbende måned plus 2 måneder (til udgangen af den 2. måned efter opsigelsesmåneden), regnet fra opsigelsen onsdag 15. marts 2023; Rammeaftalens bilag 6). Handlekommunerne betaler kun til og med lukkedatoen; driftsherren har ikke givet det varsel, bilaget kræver.',
    ]);
    const deadline = s.deadlines.provisionalAccount!.plan;
    expect(deadline.deadline.dueDate).toBe('2023-06-15');
    expect(deadline.points.map((p) => `${p.kind}:${p.date}`)).toEqual([
      'reminder:2023-05-24',
      'reminder:2023-06-06',
      'reminder:2023-06-14',
      'due:2023-06-15',
      'expired:2023-06-15',
      'escalation:2023-06-16',
    ]);

    mail = await caseMail(caseId);
    const notices = mail.all.filter((m) => m.subject.startsWith('Meddelelse om lukning'));
    expect(notices.flatMap((m) => m.envelopeTo).sort()).toEqual([KOLDING, SVENDBORG]);
    expect(notices[0]!.subject).toBe('Meddelelse om lukning af Bostedet Åbrinken: betaling til og med søndag 30. april 2023');
    expect(notices[0]!.text).toContain('Betaling til og med: søndag 30. april 2023');
    expect(notices[0]!.text).toContain('tidligste ophør er onsdag 31. maj 2023');
    expect(notices[0]!.text).toContain('løbende måned plus 2 måneder');

    expect(await refusal(update(handle, 'submitFinalAccount', { income: '1', costs: '1', carriedForward: '0', actor: 'Odense' }))).toMatch(/ikke aktuelt nu/);
    expect(await refusal(update(handle, 'submitProvisionalAccount', { income: 'ti millioner', costs: '14000000', carriedForward: '0', actor: 'Odense' }))).toMatch(/Indtægter: Skal være et beløb i kroner/);
    expect(await refusal(update(handle, 'submitProvisionalAccount', { income: '10000000', costs: '14000000', carriedForward: '-1.000.000', actor: 'Odense' }))).toMatch(/Overført fra tidligere år/);

    // The operator is late: reminders 14, 7 and 1 working days before Thursday 15 June (Whit Monday 29 May and
    // Grundlovsdag 5 June are not working days), on the day, and the escalation the next working day.
    await sleepUntil('2023-06-17T10:00:00Z');
    s = await until(handle, (x) => x.journal.some((j) => j.description.includes('eskaleret til sekretariatet')), 'the escalation');
    const reminderDays = s.journal.filter((j) => j.description.startsWith('Foreløbigt lukkeregnskab: påmindelse')).map((j) => j.at.slice(0, 10));
    expect(reminderDays).toEqual(['2023-05-24', '2023-06-06', '2023-06-14', '2023-06-15']);
    expect(s.journal.find((j) => j.description.includes('eskaleret'))!.at.slice(0, 10)).toBe('2023-06-16');
    expect(s.journal.find((j) => j.description.includes('er overskredet'))!.at.slice(0, 10)).toBe('2023-06-15');
    const outbox = await h.pool.query<{ reminder: string }>(
      "SELECT reminder FROM email_outbox WHERE case_id = $1 AND step = 'provisionalAccount' AND recipient = $2 ORDER BY reminder",
      [caseId, ODENSE],
    );
    expect(outbox.rows.map((r) => r.reminder)).toEqual(['', 'due:2023-06-15', 'reminder:2023-05-24', 'reminder:2023-06-06', 'reminder:2023-06-14']);
    mail = await caseMail(caseId);
    const reminders = mail.to(ODENSE).filter((m) => m.subject.startsWith('Påmindelse: foreløbigt lukkeregnskab'));
    expect(reminders.map((m) => m.text.match(/Der er (\d+) arbejdsdage?/)?.[1] ?? (m.text.includes('Fristen udløber i dag') ? 'i dag' : '?'))).toEqual(['14', '7', '1', 'i dag']);
    const escalation = mail.to(SECRETARIAT).filter((m) => m.subject.startsWith('Eskalering: foreløbigt lukkeregnskab'));
    expect(escalation).toHaveLength(1);
    expect(escalation[0]!.text).toContain('torsdag 15. juni 2023');
    expect(reminders.every((m) => m.attachments.some((a) => a.filename === 'frist.ics' && a.content.includes('DTSTART;VALUE=DATE:20230615')))).toBe(true);

    // Late, but accepted; the figures are checked by the settlement's schemas.
    const late = await update(handle, 'submitProvisionalAccount', { income: '10000000', costs: '13700000', carriedForward: '-1000000', actor: 'Odense, økonomiafdelingen' });
    expect(late).toEqual({ accepted: true, late: true });
    s = await until(handle, (x) => x.stage === AT_FU, 'FU to treat the provisional account');
    expect(s.deadlines.provisionalAccount!.status).toBe('expired');
    expect(details(s).provisionalAccount).toMatchObject({ late: true, toDistribute: '-4700000' });
    mail = await caseMail(caseId);
    const toFu = mail.to(FU).find((m) => m.subject === 'Til orientering: foreløbigt lukkeregnskab for Bostedet Åbrinken')!;
    expect(toFu.attachments[0]!.filename).toBe('Foreløbigt lukkeregnskab – Bostedet Åbrinken.txt');
    // The expected distribution on the payers, as Bilag 5 asks of the provisional account.
    expect(toFu.attachments[0]!.content).toContain('Svendborg;2.000.000;2.000.000;40 %;1.480.000');

    await sleepUntil('2023-06-20T12:00:00Z');
    await decide(handle, 'provisionalAccount', 'FU', 'approved', '2023-06-20');
    s = await until(handle, (x) => x.stage === 'Afventer endeligt lukkeregnskab', 'the final account step');
    mail = await caseMail(caseId);
    const sentOn = mail.all.filter((m) => m.subject === 'Foreløbigt lukkeregnskab for Bostedet Åbrinken');
    expect(sentOn.flatMap((m) => m.envelopeTo).sort()).toEqual([KOLDING, SVENDBORG]);
    expect(sentOn.every((m) => m.attachments.length === 1)).toBe(true);

    // A material change goes to FU and the affected municipalities.
    expect(await update(handle, 'announceMaterialChange', { text: 'Fratrædelsesudgifterne bliver ca. 300.000 kr. højere end forventet', actor: 'Odense, økonomiafdelingen' })).toEqual({ recipients: 3 });

    await sleepUntil('2023-09-01T10:00:00Z');
    const final = { income: '10000000', costs: '14000000', carriedForward: '-1000000' };
    expect(await refusal(update(handle, 'submitFinalAccount', { ...final, actor: 'Odense' }))).toMatch(/revisionspåtegnet/);
    await update(handle, 'submitFinalAccount', { ...final, auditorStatement: 'Revisionspåtegning uden forbehold af 31. august 2023', actor: 'Odense, økonomiafdelingen' });
    await until(handle, (x) => x.stage === AT_SDF, 'SDF to treat the final account');
    expect(await refusal(update(handle, 'announceMaterialChange', { text: 'En ændring efter det endelige regnskab', actor: 'Odense' }))).toMatch(/ikke aktuelt nu/);
    await sleepUntil('2023-09-05T12:00:00Z');
    await decide(handle, 'finalAccount', 'SDF', 'approved', '2023-09-05');
    s = await until(handle, (x) => x.status === 'completed', 'the settlement');
    expect(s.stage).toBe('Afsluttet – efterreguleret');

    // The settlement is the domain calculation of Beregningseksempel 1.
    const expected = calculateClosureSettlement(settlementInputFor(input, final));
    const st = details(s).settlement!;
    expect({ toDistribute: st.toDistribute, ownRisk: st.ownRisk, settled: st.settled, operatorTotal: st.operatorTotal, shares: st.shares }).toEqual({
      toDistribute: expected.toDistribute,
      ownRisk: expected.ownRisk,
      settled: expected.settled,
      operatorTotal: expected.operatorTotal,
      shares: expected.shares,
    });
    expect(st).toMatchObject({ toDistribute: '-5000000', ownRisk: '1000000', settled: '4000000', operatorTotal: '2320000' });
    expect(st.shares).toEqual([
      { id: '461', amount: '1320000' },
      { id: '479', amount: '1600000' },
      { id: '621', amount: '1080000' },
    ]);
    expect(Number(st.shares[1]!.amount) + Number(st.shares[2]!.amount)).toBe(2_680_000);
    const table = s.journal.flatMap((j) => j.documents).find((doc) => doc.name === 'Efterregulering – Bostedet Åbrinken.txt')!;
    expect(table.content).toContain('Selvrisiko (5 % af 20.000.000 kr.): 1.000.000');
    expect(table.content).toContain('Driftsherres andel pba. forbrugte pladser (33 %): 1.320.000');
    expect(table.content).toContain('Betalingskommuners andel pba. forbrugte pladser: 2.680.000');
    expect(table.content).toContain('Samlet for driftsherre (selvrisiko + egne forbrugte pladser): 2.320.000');

    // Each payer sees its own amount only.
    mail = await caseMail(caseId);
    const settlementMail = (addr: string) => mail.to(addr).filter((m) => m.subject.startsWith('Efterregulering ved lukning'));
    const svendborg = settlementMail(SVENDBORG);
    expect(svendborg).toHaveLength(1);
    expect(svendborg[0]!.text).toContain('Svendborg skal betale 1.600.000 kr. til Odense');
    expect(svendborg[0]!.text).toContain('Beløb: 1.600.000 kr. (at betale)');
    for (const other of ['1.080.000', '1.320.000', '2.680.000', '2.320.000', 'Kolding']) expect(svendborg[0]!.text).not.toContain(other);
    const kolding = settlementMail(KOLDING);
    expect(kolding[0]!.text).toContain('Kolding skal betale 1.080.000 kr.');
    for (const other of ['1.600.000', '1.320.000', 'Svendborg']) expect(kolding[0]!.text).not.toContain(other);
    const odense = settlementMail(ODENSE);
    expect(odense).toHaveLength(1);
    expect(odense[0]!.text).toContain('bærer som driftsherre i alt 2.320.000 kr. af underskuddet: selvrisiko 1.000.000 kr., andel for egne borgere 1.320.000 kr.');
    for (const other of ['1.600.000', '1.080.000']) expect(odense[0]!.text).not.toContain(other);

    const { rows } = await h.pool.query('SELECT status, stage FROM case_summary WHERE case_id = $1', [caseId]);
    expect(rows[0]).toEqual({ status: 'completed', stage: 'Afsluttet – efterreguleret' });
    const journal = await h.pool.query<{ actor: string; description: string }>('SELECT actor, description FROM case_journal WHERE case_id = $1 ORDER BY entry_key', [caseId]);
    expect(journal.rows.find((r) => r.description.startsWith('Lukningen er besluttet'))!.actor).toBe('Odense, byrådet');
    expect(journal.rows.find((r) => r.description.startsWith('Væsentlig ændring'))!.actor).toBe('Odense, økonomiafdelingen');
    expect(await resultOf(handle)).toMatchObject({ outcome: 'settled', status: 'completed', ruleVersion: 'Rammeaftale 2023-2024' });
    await recordHistory(handle, 'closureOfTilbud.example1');
  });

  it('Beregningseksempel 2: an economic unit, every step on time; the centre carries its share and the payers the rest', async () => {
    await sleepUntil('2023-10-02T08:00:00Z');
    const caseId = `LUK-EKS2-${Date.now()}`;
    const input: ClosureInput = {
      ...example1(),
      tilbudName: 'Centret Lindely, afdeling 1',
      structure: 'economicUnit',
      turnoverDecisionYear: '20000000',
      otherUnitsTurnoverDecisionYear: '40000000',
      payers: [
        { partyId: '461', name: 'Odense', turnoverYearMinus2: '330000', turnoverYearMinus1: '330000' },
        { partyId: '410', name: 'Middelfart', turnoverYearMinus2: '670000', turnoverYearMinus1: '670000' },
      ],
      actingMunicipalities: [{ partyId: '410', name: 'Middelfart' }],
    };
    const handle = await h.env.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    await until(handle, (x) => x.stage === HEARING, 'the SDF hearing');
    await sleepUntil('2023-10-03T08:00:00Z');
    await decide(handle, 'hearing', 'SDF', 'approved', '2023-10-03');
    await until(handle, (x) => x.stage === 'Afventer beslutning om lukning', 'the decision step');
    expect(await refusal(update(handle, 'recordContinuationCost', { text: 'Ikke nødvendig her, SDF har ingen indvendinger', amount: '1', actor: 'Odense' }))).toMatch(/skal ikke dokumenteres/);
    await update(handle, 'recordClosureDecision', { decisionDate: '2023-10-03', closingDate: '2023-12-31', actor: 'Odense, byrådet' });
    let s = await until(handle, (x) => x.stage === 'Afventer foreløbigt lukkeregnskab', 'the provisional account step');
    // Decided 3 October, closing 31 December: the notice (to the end of December) is met, so no warning.
    expect(details(s).notice).toMatchObject({ minimumEnd: '2023-12-31', paidThrough: '2023-12-31', closingBeforeNoticeEnd: false });
    expect(s.warnings.filter((w) => w.startsWith('Lukkedatoen'))).toEqual([]);
    expect(s.deadlines.provisionalAccount!.plan.deadline.dueDate).toBe('2024-01-03');

    const figures = { income: '50000000', costs: '54000000', carriedForward: '-1000000' };
    expect(await update(handle, 'submitProvisionalAccount', { ...figures, actor: 'Odense' })).toEqual({ accepted: true, late: false });
    await until(handle, (x) => x.stage === AT_FU, 'FU');
    await decide(handle, 'provisionalAccount', 'FU', 'approved', '2023-10-03');
    await until(handle, (x) => x.stage === 'Afventer endeligt lukkeregnskab', 'the final account step');
    await update(handle, 'submitFinalAccount', { ...figures, auditorStatement: 'Revisionspåtegning uden forbehold af 3. oktober 2023', actor: 'Odense' });
    await until(handle, (x) => x.stage === AT_SDF, 'SDF');
    await decide(handle, 'finalAccount', 'SDF', 'approved', '2023-10-03');
    s = await until(handle, (x) => x.status === 'completed', 'the settlement');
    expect(s.deadlines.provisionalAccount!.status).toBe('met');

    const st = details(s).settlement!;
    const expected = calculateClosureSettlement(settlementInputFor(input, figures));
    expect(st.shares).toEqual(expected.shares);
    expect(st).toMatchObject({ toDistribute: '-5000000', ownRisk: '3000000', toOtherUnits: '1333333', settled: '666667', operatorTotal: '4553333' });
    expect(st.shares).toEqual([
      { id: '461', amount: '220000' },
      { id: '410', amount: '446667' },
    ]);

    const mail = await caseMail(caseId);
    const middelfart = mail.to(MIDDELFART).filter((m) => m.subject.startsWith('Efterregulering ved lukning'));
    expect(middelfart).toHaveLength(1);
    expect(middelfart[0]!.text).toContain('Middelfart skal betale 446.667 kr. til Odense');
    for (const other of ['220.000', '4.553.333', '1.333.333']) expect(middelfart[0]!.text).not.toContain(other);
    const odense = mail.to(ODENSE).filter((m) => m.subject.startsWith('Efterregulering ved lukning'));
    expect(odense[0]!.text).toContain(
      'bærer som driftsherre i alt 4.553.333 kr. af underskuddet: selvrisiko 3.000.000 kr., videreført til centrets øvrige tilbud 1.333.333 kr., andel for egne borgere 220.000 kr.',
    );
    expect(odense[0]!.text).not.toContain('446.667');
    await recordHistory(handle, 'closureOfTilbud.example2');
  });

  it('closure by Socialtilsynet: no hearing and no settlement; the basis is registered after the start; completed after the accounts', async () => {
    await sleepUntil('2023-11-01T08:00:00Z');
    const caseId = `LUK-MYND-${Date.now()}`;
    // As a parent case may hand it over: without the settlement basis.
    const input: ClosureInput = {
      tilbudName: 'Opholdsstedet Kløverly',
      operator: { partyId: '630', name: 'Vejle', type: 'municipal' },
      classification: 'authorityClosure',
      reason: 'Socialtilsyn Syd har tilbagekaldt godkendelsen af tilbuddet',
      structure: 'standalone',
      payers: [],
      actingMunicipalities: [],
      fuRecipients: [FU],
      startedBy: 'sekretariatet (test)',
    };
    const handle = await h.env.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === 'Afventer registrering af myndighedens afgørelse', 'the decision step');
    expect(s.warnings.join(' ')).toMatch(/Grundlaget for efterreguleringen er ufuldstændigt/);
    expect(s.approvals.hearing).toBeUndefined();
    expect(await refusal(update(handle, 'recordContinuationCost', { text: 'Ikke relevant ved myndighedslukning', amount: '1', actor: 'Vejle' }))).toMatch(/skal ikke dokumenteres/);
    expect(await refusal(update(handle, 'recordSettlementBasis', { turnoverDecisionYear: '8000000', payers: [{ partyId: '630', name: 'Vejle', turnoverYearMinus2: '-1', turnoverYearMinus1: '1' }], actor: 'sekretariatet' }))).toMatch(/Beløbet må ikke være negativt/);
    await update(handle, 'recordSettlementBasis', {
      turnoverDecisionYear: '8000000',
      payers: [
        { partyId: '630', name: 'Vejle', turnoverYearMinus2: '500000', turnoverYearMinus1: '500000' },
        { partyId: '621', name: 'Kolding', turnoverYearMinus2: '500000', turnoverYearMinus1: '500000' },
      ],
      actingMunicipalities: [{ partyId: '621', name: 'Kolding' }],
      actor: 'sekretariatet',
    });
    await update(handle, 'recordClosureDecision', { decisionDate: '2023-11-01', closingDate: '2023-11-15', actor: 'Socialtilsyn Syd (registreret af sekretariatet)' });
    s = await until(handle, (x) => x.stage === 'Afventer foreløbigt lukkeregnskab', 'the provisional account step');
    // The tilbud closes on 15 November by the authority's decision: payment ends that day, not at the end of the
    // notice (31 January 2024); for a closure by an authority the deficit rests on the driftsherre (002:1696-1697).
    expect(details(s).notice).toMatchObject({ minimumEnd: '2024-01-31', paidThrough: '2023-11-15', closingBeforeNoticeEnd: true });
    expect(s.warnings.join(' ')).toContain('Lukningen sker efter myndighedens afgørelse: handlekommunerne betaler til og med lukkedatoen');

    const figures = { income: '3000000', costs: '4200000', carriedForward: '-300000' };
    await update(handle, 'submitProvisionalAccount', { ...figures, actor: 'Vejle' });
    await until(handle, (x) => x.stage === AT_FU, 'FU');
    await decide(handle, 'provisionalAccount', 'FU', 'approved', '2023-11-01');
    await until(handle, (x) => x.stage === 'Afventer endeligt lukkeregnskab', 'the final account step');
    // No efterregulering, so no audit is required.
    await update(handle, 'submitFinalAccount', { ...figures, actor: 'Vejle' });
    await until(handle, (x) => x.stage === AT_SDF, 'SDF');
    await decide(handle, 'finalAccount', 'SDF', 'approved', '2023-11-01');
    s = await until(handle, (x) => x.status === 'completed', 'completion');
    expect(s.stage).toBe('Afsluttet – lukket af myndighed, ingen efterregulering');
    const st = details(s).settlement!;
    expect(st).toMatchObject({ toDistribute: '-1500000', settled: '0', operatorTotal: '1500000' });
    expect(st.shares.every((x) => x.amount === '0')).toBe(true);
    expect(s.journal.flatMap((j) => j.documents).some((doc) => doc.content.includes('påhviler alene driftsherren'))).toBe(true);

    const mail = await caseMail(caseId);
    expect(mail.all.filter((m) => m.subject.startsWith('Efterregulering') || m.subject.startsWith('Høring') || m.subject.startsWith('Mulig lukning'))).toHaveLength(0);
    expect(mail.to(KOLDING).map((m) => m.subject)).toContain('Meddelelse om lukning af Opholdsstedet Kløverly: betaling til og med onsdag 15. november 2023');
    expect(await resultOf(handle)).toMatchObject({ outcome: 'closedByAuthority', status: 'completed' });
    await recordHistory(handle, 'closureOfTilbud.authority');
  });

  it('relocation and merger are not closures: recorded and completed at once', async () => {
    for (const classification of ['relocation', 'merger'] as const) {
      const caseId = `LUK-${classification}-${Date.now()}`;
      const input: ClosureInput = { ...example1(), classification, turnoverDecisionYear: undefined, payers: [], actingMunicipalities: [] };
      const handle = await h.env.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
      expect(await resultOf(handle)).toMatchObject({ outcome: 'notAClosure', status: 'completed' });
      const s = await state(handle);
      expect(s.stage).toBe(classification === 'relocation' ? 'Flytning – ikke en lukning' : 'Sammenlægning – ikke en lukning');
      expect(s.journal.at(-1)!.description).toContain('002:1699');
      expect(Object.keys(s.deadlines)).toEqual([]);
      expect((await caseMail(caseId)).all).toHaveLength(0);
      await recordHistory(handle, `closureOfTilbud.${classification}`);
    }
  });

  it('the start form names the field in each Danish message and can be described as JSON Schema', () => {
    const r = closureInputSchema.safeParse({
      tilbudName: 'Bostedet Åbrinken',
      operatorPartyId: '461',
      operatorType: 'municipal',
      classification: 'closure',
      reason: 'Efterspørgslen er faldet',
      structure: 'economicUnit',
      turnoverDecisionYear: '20.000.000',
      payers: [{ partyId: '479', turnoverYearMinus2: '1', turnoverYearMinus1: 2 }],
      fuRecipients: [],
    });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('turnoverDecisionYear: Omsætningen i beslutningsåret: Skal være et beløb i kroner, fx 20000000 eller 20000000.50');
    expect(messages).toContain('payers.0.turnoverYearMinus1: Betalingskommunens omsætning året før beslutningsåret skal være et beløb i kroner skrevet som tekst, fx "20000000"');
    expect(messages).toContain('fuRecipients: Angiv mindst én modtager for Forretningsudvalget');
    const unit = closureInputSchema.safeParse({
      tilbudName: 'Bostedet Åbrinken',
      operatorPartyId: '461',
      operatorType: 'municipal',
      classification: 'closure',
      reason: 'Efterspørgslen er faldet',
      structure: 'economicUnit',
      turnoverDecisionYear: '20000000',
      payers: [{ partyId: '479', turnoverYearMinus2: '1', turnoverYearMinus1: '2' }],
      fuRecipients: [FU],
    });
    expect(unit.error!.issues.map((i) => i.path.join('.'))).toEqual(['otherUnitsTurnoverDecisionYear']);
    expect(JSON.stringify(toJsonSchema(closureInputSchema))).toContain('"classification"');
  });
});
