/**
 * Deadlines as durable timers. Each deadline is a legal value (wording, rule, date, why it moved) with a plan
 * of notices made by an activity; `follow` sleeps until each notice and hands it to the procedure, and wakes
 * early when the deadline is extended (fristforlængelse), so the plan is re-made and nothing fires twice.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';
import type { DeadlinePoint, DeadlineSpecInput, PlannedDeadline } from '../../contracts/deadlines';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import { isPlainDate } from '../../domain/calendar/plainDate';
import { acts } from './proxies';
import type { CaseRecord } from './caseRecord';
import { impossibleState } from './failures';
import { copenhagenToday } from './time';
import type { DeadlineEntry, DeadlineExtension } from '../../contracts/caseState';
export type { DeadlineEntry, DeadlineExtension };



export interface ExtendDeadlineInput {
  deadlineKey: string;
  newDate: string;
  reason: string;
  actor: string;
}

export const extendDeadlineUpdate = defineUpdate<DeadlineEntry, [ExtendDeadlineInput]>('extendDeadline');

const pointKey = (p: DeadlinePoint) => `${p.kind}:${p.date}`;

export class DeadlineBook {
  constructor(private readonly c: CaseRecord) {
    setHandler(
      extendDeadlineUpdate,
      async (input) => this.extend(input),
      {
        validator: (input) => {
          const d = this.c.state.deadlines[input.deadlineKey];
          if (!d) throw new Error(`Ukendt frist: ${input.deadlineKey}`);
          if (d.status !== 'open') throw new Error(`Fristen "${d.label}" er ikke længere åben og kan ikke forlænges`);
          if (!isPlainDate(input.newDate)) throw new Error('Ny frist skal være en dato (ÅÅÅÅ-MM-DD)');
          if (input.newDate <= d.plan.deadline.dueDate) throw new Error('Den nye frist skal ligge efter den nuværende');
          if (!input.reason || input.reason.trim().length < 5) throw new Error('Angiv en begrundelse for fristforlængelsen');
          if (!input.actor) throw new Error('Mangler aktør');
        },
      },
    );
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
