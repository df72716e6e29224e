/**
 * A chain of political or administrative bodies (e.g. SDF → K22 → KKR). Each body approves, sends the matter
 * back for amendment (the procedure returns to its draft), or rejects. Each step is planned on a meeting of
 * the body from the political calendar, and the case warns when no meeting is left before the deadline.
 */
import { condition } from '@temporalio/workflow';
import { recordDecisionStep } from '../../contracts/kit/commonSteps';
import type { StepArg } from '../../contracts/kit/step';
import { acts } from './proxies';
import type { CaseRecord } from './caseRecord';
import { copenhagenToday } from './time';
import { BODY_NAMES, OUTCOME_LABELS, type Body, type DecisionOutcome } from '../../domain/bodies';
import type { ApprovalStepView, ApprovalView } from '../../contracts/caseState';
export type { ApprovalStepView, ApprovalView };
export { BODY_NAMES, OUTCOME_LABELS, type Body, type DecisionOutcome };




export type RecordDecisionInput = StepArg<typeof recordDecisionStep>;

export class Approvals {
  private readonly chains = new Map<string, ApprovalView>();

  constructor(private readonly c: CaseRecord<object>) {
    c.step(recordDecisionStep, {
      dueWhen: () => [...this.chains.values()].some((v) => v.steps.some((s) => s.status === 'current')),
      check: (input) => {
        const view = this.chains.get(input.chain);
        if (!view) return 'Sagen afventer ikke en politisk eller administrativ behandling';
        const step = view.steps.find((s) => s.status === 'current');
        if (!step) return `${view.label}: ingen behandling afventes nu`;
        if (input.body && step.body !== input.body) return `Sagen afventer behandling i ${BODY_NAMES[step.body]}, ikke ${BODY_NAMES[input.body]}`;
        if (input.meetingDate > copenhagenToday()) return 'Mødedatoen kan ikke ligge i fremtiden';
        return undefined;
      },
      run: async (input) => {
        const view = this.chains.get(input.chain)!;
        const step = view.steps.find((s) => s.status === 'current')!;
        step.status = input.outcome;
        step.meetingDate = input.meetingDate;
        step.note = input.note || undefined;
        step.decidedBy = input.actor;
        await this.c.publish(
          {},
          {
            description: `${view.label}: ${BODY_NAMES[step.body]} har ${OUTCOME_LABELS[input.outcome]} (møde ${input.meetingDate})${input.note ? `. ${input.note}` : ''}`,
            actor: input.actor,
          },
        );
        return view;
      },
    });
  }

  /**
   * Runs the chain. Returns at the first body that does not approve ('amend' or 'rejected'), or 'approved'
   * when the last body approved. A second run of the same chain (after an amendment) starts a new round.
   */
  async run(key: string, label: string, bodies: Body[], opts: { deadlineDueDate?: string; stagePrefix?: string } = {}): Promise<DecisionOutcome> {
    const prev = this.chains.get(key);
    const view: ApprovalView = { key, label, round: (prev?.round ?? 0) + 1, steps: bodies.map((body) => ({ body, status: 'waiting' })) };
    this.chains.set(key, view);
    this.c.state.approvals[key] = view;
    for (const step of view.steps) {
      step.status = 'current';
      const meetings = await acts.meetingsOf({ body: step.body, from: copenhagenToday(), until: opts.deadlineDueDate });
      step.plannedMeeting = meetings[0];
      const warning =
        opts.deadlineDueDate && meetings.length === 0
          ? `Intet møde i ${BODY_NAMES[step.body]} før fristen ${opts.deadlineDueDate}: ${label} kan ikke nå at blive behandlet`
          : undefined;
      if (warning && !this.c.state.warnings.includes(warning)) this.c.state.warnings.push(warning);
      await this.c.publish(
        { stage: `${opts.stagePrefix ?? label}: behandles i ${BODY_NAMES[step.body]}` },
        {
          description: `${label}: afventer ${BODY_NAMES[step.body]}${step.plannedMeeting ? ` (planlagt møde ${step.plannedMeeting})` : ''}${warning ? `. ADVARSEL: ${warning}` : ''}`,
          actor: 'system',
        },
      );
      await condition(() => step.status !== 'current');
      const decided = step.status as ApprovalStepView['status'];
      if (decided !== 'approved') return decided as DecisionOutcome;
    }
    return 'approved';
  }
}
