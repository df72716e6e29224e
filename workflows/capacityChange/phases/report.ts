/** The report ("indberetning") of rows 2-4: its deadline, reminders, the late flag and the escalation. */
import { condition } from '@temporalio/workflow';
import type { CapacityChangeClassification } from '../../../domain/capacityChange';
import type { DeadlinePoint, PlannedDeadline } from '../../../contracts/deadlines';
import { acts } from '../../blocks/proxies';
import { partyStates, warn, type Capacity } from '../caseFile';
import { danishDate as date, reportDeadlineNotice, reportEscalation, reportReminder, reportReminderContent } from '../messages';

/** "Senest ifm. den politiske behandling … dog senest 3 måneder før" (002:1529-1531): the deadline, and the
 * driftsherre is told. */
export async function setReportDeadline(k: Capacity, cls: CapacityChangeClassification): Promise<void> {
  const { c, input, operatorParty } = k;
  const rd = cls.reportDeadline!;
  const report = await k.deadlines.add('report', 'Indberetning af kapacitetsændringen', { wording: rd.wording, rule: rd.rule, nominalDate: rd.nominalDate }, input.ladder);
  // The block re-derives the date from the spec; the classification's reason (which of the two dates won) is
  // kept here in the journal.
  await c.publish({ parties: partyStates(k) }, { description: `Frist for indberetning: ${date(report.plan.deadline.dueDate)}. ${rd.reason ?? ''}`.trim(), actor: 'system' });
  await c.attempt('E-mailen til driftsherren kunne ikke sendes', () => acts.notifyParties({
    caseId: c.state.caseId,
    procedure: 'capacityChange',
    step: 'report',
    partyIds: [operatorParty.partyId],
    ...reportDeadlineNotice(input, cls, report.plan.deadline.dueDate, c.state.caseId),
    deadline: { ...report.plan.deadline, revision: report.revision },
  }));
}

/** The report deadline's notices: reminders to the driftsherre and the secretariat, the late flag, escalation. */
export async function followReport(k: Capacity): Promise<void> {
  const { deadlines, details, facts } = k;
  for (;;) {
    const d = deadlines.get('report');
    const revision = d.revision;
    const result = await deadlines.follow('report', {
      isDone: () => details.report !== undefined || facts.finished,
      onPoint: (p, entry) => reportNotice(k, p, entry.plan.deadline, entry.revision),
    });
    if (result === 'done') return;
    // Every notice has fired; only an extended deadline (extendDeadline) makes new ones.
    await condition(() => details.report !== undefined || facts.finished || d.revision !== revision);
    if (details.report !== undefined || facts.finished) return;
  }
}

async function reportNotice(k: Capacity, p: DeadlinePoint, deadline: PlannedDeadline['deadline'], revision: number): Promise<void> {
  const { c, details, input } = k;
  const dueText = date(deadline.dueDate);
  if (p.kind === 'reminder' || p.kind === 'due') {
    const reminder = reportReminder(input, p.kind, deadline.dueDate);
    await c.attempt('E-mailen til driftsherren kunne ikke sendes', () => acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'capacityChange',
      step: 'report',
      reminder: `${p.kind}:${p.date}`,
      partyIds: [k.operatorParty.partyId],
      subject: reminder.subject,
      content: reportReminderContent(input, reminder, c.state.caseId),
      deadline: { ...deadline, revision },
    }));
    await acts.notifySecretariat({ caseId: c.state.caseId, step: `report:${p.kind}:${p.date}`, subject: reminder.subject, heading: reminder.subject, paragraphs: reminder.paragraphs });
    await c.publish({}, { description: `Påmindelse om indberetning (frist ${dueText}) sendt til ${input.operator.name} og sekretariatet`, actor: 'system' });
  } else if (p.kind === 'expired') {
    details.reportLate = true;
    const w = `Fristen for indberetning (${dueText}) er overskredet; ${input.operator.name} har ikke indberettet kapacitetsændringen`;
    warn(k, w);
    await c.publish({ parties: partyStates(k) }, { description: `ADVARSEL: ${w}`, actor: 'system' });
  } else {
    await acts.notifySecretariat({ caseId: c.state.caseId, step: `report:escalation:${p.date}`, ...reportEscalation(input, deadline.dueDate, c.state.caseId) });
    await c.publish({}, { description: 'Manglende indberetning er eskaleret til sekretariatet', actor: 'system' });
  }
}
