/** Steps 3-6 of rammeaftale.md §3.4: the forum (FU's orientation or SDF's statement or approval), round after
 * round while SDF sends the case back, and the political decision. */
import { condition } from '@temporalio/workflow';
import type { CapacityChangeClassification } from '../../../domain/capacityChange';
import { BODY_NAMES } from '../../blocks/approvals';
import { acts } from '../../blocks/proxies';
import { warn, type Capacity } from '../caseFile';
import type { CapacityChangeDetails } from '../contract';
import { danishDate as date, fuOrientation } from '../messages';
import { broadcast } from './broadcast';
import { justificationStep } from './justifications';

/** Row 3: Forretningsudvalget is oriented; the orientation is not a decision. */
async function orientFu(k: Capacity, cls: CapacityChangeClassification): Promise<void> {
  const { c, details } = k;
  const r = await acts.notifyForum({ caseId: c.state.caseId, body: 'FU', step: 'fu-orientation', ...fuOrientation(k.input, cls, details) });
  details.forum = { body: 'FU', step: 'orientation', outcome: r.recipients.length ? 'oriented' : 'noRecipients', recipients: r.recipients };
  if (!r.recipients.length) warn(k, 'Forretningsudvalget er ikke orienteret: der er ingen modtagere registreret for FU (forum_recipient)');
  await c.publish(
    { stage: 'Forretningsudvalget orienteret' },
    {
      description: r.recipients.length
        ? `Forretningsudvalget er orienteret (${r.recipients.join(', ')}); orienteringen er ikke en beslutning`
        : 'ADVARSEL: Forretningsudvalget kunne ikke orienteres, da der ikke er registreret modtagere',
      actor: 'system',
    },
  );
}

/** Rows 2 and 4: SDF's statement (advisory), or its approval of a new regional tilbud (binding, 002:1520).
 * 'amend' sends the case back to the justifications. */
async function sdfStep(k: Capacity, cls: CapacityChangeClassification): Promise<'done' | 'amend' | 'blocked'> {
  const { c, details } = k;
  const approval = cls.forumStep === 'approval';
  const label = approval ? 'Godkendelse i Socialdirektørforum' : 'Udtalelse fra Socialdirektørforum';
  // SDF should have treated the change before it takes effect, so its meeting is planned before that day.
  const outcome = await k.approvals.run('sdf', label, ['SDF'], { deadlineDueDate: k.input.effectiveDate });
  const step = c.state.approvals.sdf!.steps[0]!;
  details.forum = { body: 'SDF', step: cls.forumStep, outcome, meetingDate: step.meetingDate, note: step.note, decidedBy: step.decidedBy };
  if (outcome === 'amend') return 'amend';
  if (approval) {
    if (outcome === 'rejected') return 'blocked';
    await c.publish({}, { description: `${BODY_NAMES.SDF} har godkendt det nye regionale tilbud (002:1520)`, actor: 'system' });
    return 'done';
  }
  if (outcome === 'rejected') warn(k, `${BODY_NAMES.SDF} har afgivet en negativ udtalelse (møde ${date(step.meetingDate!)})`);
  await c.publish(
    {},
    {
      description:
        outcome === 'approved'
          ? `${BODY_NAMES.SDF} har afgivet en positiv udtalelse`
          : `${BODY_NAMES.SDF} har afgivet en negativ udtalelse. Udtalelsen er vejledende; sagen fortsætter til den politiske beslutning`,
      actor: 'system',
    },
  );
  return 'done';
}

/** The justifications, the notice to everyone and the forum, round after round while SDF sends the case back. */
export async function prepareAndTreat(k: Capacity, cls: CapacityChangeClassification): Promise<'done' | 'blocked'> {
  for (let revise = false; ; revise = true) {
    await justificationStep(k, cls, revise);
    k.details.justificationRound += 1;
    await broadcast(k, cls, k.details.justificationRound);
    if (cls.forumBody === 'FU') {
      await orientFu(k, cls);
      return 'done';
    }
    const result = await sdfStep(k, cls);
    if (result !== 'amend') return result;
  }
}

/** The driftsherre's council decides; the flow waits for recordPoliticalDecision. */
export async function politicalDecision(k: Capacity): Promise<NonNullable<CapacityChangeDetails['politicalDecision']>> {
  k.facts.forumDone = true;
  await k.c.publish({ stage: 'Afventer politisk beslutning' }, { description: `Sagen afventer den politiske beslutning hos ${k.input.operator.name}`, actor: 'system' });
  await condition(() => k.details.politicalDecision !== undefined);
  return k.details.politicalDecision!;
}
