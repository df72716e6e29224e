/** The agreement (integrationsloven § 7): the municipalities' hearing, K22's recommendation and KKR's decision, then
 * the notification to Udlændingestyrelsen, beside the deadline "inden den 10. september". */
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import { acts } from '../../blocks/proxies';
import { copenhagenToday } from '../../blocks/time';
import type { QuotaCase } from '../caseFile';
import { positionAnswer } from '../contract';
import { agreementReminder, positionsNotice } from '../messages';

/** The hearing of the municipalities, K22's recommendation and KKR's decision, then the notification. */
async function agreementPath(q: QuotaCase): Promise<void> {
  const { approvals, c, collections, deadlines, facts, input, parties } = q;
  await c.publish({ stage: 'Høring af kommunerne' }, { description: 'Forslaget om fordeling sendes til regionens kommuner', actor: 'system' });
  await collections.run({
    key: 'positions',
    label: 'Kommunernes tilbagemelding på fordelingen',
    parties,
    answer: positionAnswer,
    describeAnswer: (a) => (a.position === 'agree' ? 'tilslutter sig fordelingen' : a.position === 'object' ? `gør indsigelse: ${a.reason}` : `foreslår andre tal: ${(a.quotas ?? []).map((q) => `${q.kommunenr}: ${q.quota}`).join(', ')}`),
    deadlineKey: 'positions',
    notice: positionsNotice(input),
  });
  const agreementDue = deadlines.get('agreement').plan.deadline.dueDate;
  const rec = await approvals.run('k22', 'Indstilling om fordelingen', ['K22'], { deadlineDueDate: agreementDue });
  await c.publish({}, { description: `K22’s indstilling: ${rec === 'approved' ? 'anbefaler fordelingen' : rec === 'amend' ? 'ønsker fordelingen ændret' : 'anbefaler ikke fordelingen'}`, actor: 'system' });
  const kkrMeetings = await acts.meetingsOf({ body: 'KKR', from: copenhagenToday(), until: agreementDue });
  const warn = kkrMeetings.length === 0 ? 'ADVARSEL: intet KKR-møde før fristen' : kkrMeetings.length === 1 ? `Bemærk: kun ét KKR-møde (${kkrMeetings[0]}) før fristen` : '';
  facts.awaitingKkr = true;
  await c.publish({ stage: 'Afventer KKR’s beslutning' }, { description: `Sagen afventer KKR Syddanmarks beslutning${kkrMeetings[0] ? ` (planlagt møde ${kkrMeetings[0]})` : ''}.${warn ? ` ${warn}` : ''}`, actor: 'system' });
  if (warn && !c.state.warnings.includes(warn)) c.state.warnings.push(warn);
  for (;;) {
    await condition(() => facts.kkrDecided);
    facts.awaitingKkr = false;
    facts.readyToNotify = true;
    await c.publish({ stage: 'Klar til meddelelse til Udlændingestyrelsen' }, { description: 'Meddelelsen til Udlændingestyrelsen kan sendes', actor: 'system' });
    // A changed landstal can undo KKR's own distribution before it is notified (landstalChangedBeforeAgreement).
    await condition(() => facts.notified || !facts.kkrDecided);
    if (facts.notified) return;
    facts.readyToNotify = false;
    facts.awaitingKkr = true;
    await c.publish({ stage: 'Afventer KKR’s beslutning' }, { description: 'Sagen afventer igen KKR Syddanmarks beslutning om fordelingen efter det ændrede landstal', actor: 'system' });
  }
}

/** Runs the agreement path beside its deadline: whether the agreement was notified in time, and the deadline's
 * watch (it still sends its last notices). */
export async function agreementInTime(q: QuotaCase): Promise<{ inTime: boolean; watch: Promise<unknown> }> {
  const { c, deadlines, facts } = q;
  let expired = false;
  const watch = deadlines.follow('agreement', {
    isDone: () => facts.notified,
    onPoint: async (p) => {
      if (p.kind === 'expired') expired = true;
      else if (p.kind === 'reminder' || p.kind === 'due') await acts.notifySecretariat({ caseId: c.state.caseId, step: `agreement:${p.kind}:${p.date}`, ...agreementReminder(deadlines.get('agreement').plan.deadline.dueDate, c.state.stage) });
    },
  });
  // Awaited at the end; marked as handled now so that a withdrawal (which cancels it while nobody awaits it
  // yet) is not an unhandled rejection that fails the workflow task.
  watch.catch(() => undefined);
  const scope = new CancellationScope();
  const path = scope.run(() => agreementPath(q));
  await Promise.race([path, condition(() => expired)]);
  if (!facts.notified) {
    scope.cancel();
    try {
      await path;
    } catch (e) {
      if (!isCancellation(e)) throw e;
    }
    for (const col of Object.values(c.state.collections)) if (col.status === 'open') col.status = 'finished';
    if (deadlines.get('positions').status === 'open') await deadlines.close('positions', 'cancelled');
  }
  return { inTime: facts.notified, watch };
}
