/**
 * Deadlines as durable timers. Each deadline is a legal value (wording, rule, date, why it moved) with a plan
 * of notices made by an activity; `follow` sleeps until each notice and hands it to the procedure, and wakes
 * early when the deadline is extended (fristforlængelse), so the plan is re-made and nothing fires twice.
 */
import { condition } from '@temporalio/workflow';
import { extendDeadlineStep } from '../../contracts/kit/commonSteps';
import type { StepArg } from '../../contracts/kit/step';
import type { DeadlinePoint, DeadlineSpecInput, PlannedDeadline } from '../../contracts/deadlines';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import { acts } from './proxies';
import type { CaseRecord } from './caseRecord';
import { impossibleState } from './failures';
import { copenhagenToday } from './time';
import type { DeadlineEntry, DeadlineExtension } from '../../contracts/caseState';
export type { DeadlineEntry, DeadlineExtension };



export type ExtendDeadlineInput = StepArg<typeof extendDeadlineStep>;

const pointKey = (p: DeadlinePoint) => `${p.kind}:${p.date}`;

export class DeadlineBook {
  constructor(private readonly c: CaseRecord<object>) {
    c.step(extendDeadlineStep, {
      dueWhen: () => Object.values(this.c.state.deadlines).some((d) => d.status === 'open'),
      check: (input) => {
        const d = this.c.state.deadlines[input.deadlineKey];
        if (!d) return `Ukendt frist: ${input.deadlineKey}`;
        if (d.status !== 'open') return `Fristen "${d.label}" er ikke længere åben og kan ikke forlænges`;
        if (input.newDate <= d.plan.deadline.dueDate) return 'Den nye frist skal ligge efter den nuværende';
        return undefined;
      },
      run: (input) => this.extend(input),
    });
  }

  get(key: string): DeadlineEntry {
    const d = this.c.state.deadlines[key];
    if (!d) throw impossibleState(`Sagen har ingen frist med nøglen ${key}`);
    return d;
  }

  async add(key: string, label: string, spec: DeadlineSpecInput, ladder?: ReminderLadderInput): Promise<DeadlineEntry> {
    const plan = await acts.planDeadline({ spec, ladder, from: copenhagenToday() });
    const entry: DeadlineEntry = { key, label, spec, ladder, plan, status: 'open', fired: [], extensions: [], revision: 0 };
    this.c.state.deadlines[key] = entry;
    return entry;
  }

  private async extend(input: ExtendDeadlineInput): Promise<DeadlineEntry> {
    const d = this.get(input.deadlineKey);
    const old = d.plan.deadline;
    const spec: DeadlineSpecInput = { ...d.spec, nominalDate: input.newDate, wording: `${d.spec.wording} (forlænget til ${input.newDate})` };
    d.plan = await acts.planDeadline({ spec, ladder: d.ladder, from: copenhagenToday() });
    d.spec = spec;
    d.revision += 1;
    d.extensions.push({ at: new Date().toISOString(), actor: input.actor, reason: input.reason, oldDueDate: old.dueDate, newDueDate: d.plan.deadline.dueDate });
    await this.c.publish(
      {},
      {
        description: `Fristforlængelse for "${d.label}": ${old.dueDate} → ${d.plan.deadline.dueDate}. Begrundelse: ${input.reason.trim()}`,
        actor: input.actor,
      },
    );
    return d;
  }

  async close(key: string, status: 'met' | 'expired' | 'cancelled'): Promise<void> {
    const d = this.get(key);
    if (d.status !== 'open') return;
    d.status = status;
    await this.c.publish({}, { description: `Frist "${d.label}" ${status === 'met' ? 'overholdt' : status === 'expired' ? 'udløbet' : 'bortfaldet'}`, actor: 'system' });
  }

  /**
   * Walks the deadline's notices in time order until `isDone()` holds or every notice has been handled.
   * Returns 'done' when the procedure no longer needs the deadline, 'passed' when the last notice fired.
   */
  async follow(key: string, opts: { isDone: () => boolean; onPoint: (p: DeadlinePoint, d: DeadlineEntry) => Promise<void> }): Promise<'done' | 'passed'> {
    const d = this.get(key);
    for (;;) {
      if (opts.isDone()) return 'done';
      const next = d.plan.points.find((p) => !d.fired.includes(pointKey(p)));
      if (!next) return 'passed';
      const revision = d.revision;
      const wait = Date.parse(next.at) - Date.now();
      if (wait > 0) {
        await condition(() => opts.isDone() || d.revision !== revision, wait);
        if (opts.isDone()) return 'done';
        if (d.revision !== revision) continue;
      }
      d.fired.push(pointKey(next));
      await opts.onPoint(next, d);
    }
  }
}
