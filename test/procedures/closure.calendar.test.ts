/**
 * Closure of a tilbud walked through its real calendar on the time-skipping test server, with real PostgreSQL
 * and SMTP: the municipal closure of Beregningseksempel 1 (decided 15 March 2023, the operator late with the
 * provisional account), the main path of the procedure. Its other routes (an economic unit, a closure by an
 * authority, a relocation and a merger) run with in-memory activities in test/workflows/closure.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { calculateClosureSettlement } from '../../domain/closureSettlement';
import { settlementInputFor, type ClosureDetails } from '../../workflows/closure/contract';
import type { CaseState } from '../../workflows/blocks/caseRecord';
import { caseState as state, refusal, sleepUntil as sleepUntilOn, startCalendarHarness, until, type CalendarHarness } from '../support/calendarHarness';
import { recordHistory } from '../support/histories';
import { example1, FU, KOLDING, ODENSE, SECRETARIAT, SVENDBORG } from '../support/closureExamples';
import { caseMail, decideIn, resultOf, update } from '../support/caseSteps';

// The stages an approval step shows once the case waits for the body.
const HEARING = 'Høring: behandles i Socialdirektørforum';
const AT_FU = 'Foreløbigt lukkeregnskab: behandles i Forretningsudvalget';
const AT_SDF = 'Endeligt lukkeregnskab: behandles i Socialdirektørforum';

let h: CalendarHarness;
const sleepUntil = (iso: string) => sleepUntilOn(h, iso, { strict: true });

beforeAll(async () => {
  h = await startCalendarHarness('2023-03-01 08:00:00');
});
afterAll(async () => {
  await h?.stop();
});



const details = (s: CaseState) => s.details as unknown as ClosureDetails;

/** The reason a workflow gave for refusing an Update (the validator's message). */

/** Polls the case (in real time, without skipping) until the workflow has reached what the test expects. */

const decide = (handle: WorkflowHandle, chain: string, body: string, outcome: string, meetingDate: string, note?: string) => decideIn(handle, chain, body, outcome, meetingDate, note);


describe('closure of a tilbud (Rammeaftale 2023-2024, Bilag 4-6)', { timeout: 240_000 }, () => {
  it('Beregningseksempel 1: notices, FU, SDF hearing, decision 15 March 2023, notice period, late provisional account with reminders and escalation, final account, settlement per payer', async () => {
    const caseId = `LUK-EKS1-${Date.now()}`;
    const input = example1();
    const handle = await h.env.client.workflow.start('closureOfTilbud', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    let s = await until(handle, (x) => x.stage === HEARING, 'the SDF hearing');
    expect(s.approvals.hearing!.steps[0]!.status).toBe('current');

    let mail = await caseMail(h, caseId);
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

    mail = await caseMail(h, caseId);
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
    mail = await caseMail(h, caseId);
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
    mail = await caseMail(h, caseId);
    const toFu = mail.to(FU).find((m) => m.subject === 'Til orientering: foreløbigt lukkeregnskab for Bostedet Åbrinken')!;
    expect(toFu.attachments[0]!.filename).toBe('Foreløbigt lukkeregnskab – Bostedet Åbrinken.txt');
    // The expected distribution on the payers, as Bilag 5 asks of the provisional account.
    expect(toFu.attachments[0]!.content).toContain('Svendborg;2.000.000;2.000.000;40 %;1.480.000');

    await sleepUntil('2023-06-20T12:00:00Z');
    await decide(handle, 'provisionalAccount', 'FU', 'approved', '2023-06-20');
    s = await until(handle, (x) => x.stage === 'Afventer endeligt lukkeregnskab', 'the final account step');
    mail = await caseMail(h, caseId);
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
    mail = await caseMail(h, caseId);
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
    expect(await resultOf(h.env, handle)).toMatchObject({ outcome: 'settled', status: 'completed', ruleVersion: 'Rammeaftale 2023-2024' });
    await recordHistory(handle, 'closureOfTilbud.example1');
  });


});
