/**
 * Ændring af kapacitet (Rammeaftale 2023-2024, Bilag 4, Tabel 4.1; rammeaftale.md §3).
 *
 * The driftsherre changes the places of a tilbud, opens a new one or closes one. The classification decides the
 * route: a minor change is free and only registered; an expansion or a new tilbud needs a statement from
 * Socialdirektørforum (for a new regional tilbud a binding approval, 002:1520); a reduction is an orientation of
 * Forretningsudvalget; a closure is handed over to the closure procedure. Every route but the free one is told to
 * all municipalities and the Region and to other user municipalities (002:1564-1565), and must be reported "senest
 * ifm. den politiske behandling … dog senest 3 måneder før, ændringerne konkret sker" (002:1529-1531). The
 * permanent change enters the capacity register on the effective date, after the political decision; a temporary
 * up- or down-staffing may run meanwhile (002:1526-1527) without replacing it.
 *
 * The steps' handlers (steps.ts) record facts (the justifications, the report, the political decision, a temporary
 * staffing); the flow at the bottom of `capacityChange` acts on them in the order of the procedure (rammeaftale.md
 * §3.4), through the phases in phases/. The case itself is caseFile.ts.
 */
import { BODY_NAMES } from '../blocks/approvals';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import { ROUTE_LABELS, type CapacityChangeInput } from './contract';
import { danishDate as date, notAdoptedOutcome, rejectedBySdfOutcome } from './messages';
import { openCase } from './caseFile';
import { registerSteps } from './steps';
import { classify } from './phases/classification';
import { handOverToClosure } from './phases/closureHandOver';
import { followReport, setReportDeadline } from './phases/report';
import { broadcastOutcome } from './phases/broadcast';
import { politicalDecision, prepareAndTreat } from './phases/forum';
import { finish, register, untilEffective } from './phases/registration';
export * from './contract';
export { CAPACITY_REGION } from './phases/broadcast';

export async function capacityChange(input: CapacityChangeInput): Promise<{ route: string; outcome: string; status: string }> {
  const k = openCase(input);
  registerSteps(k);
  const { c, details } = k;

  const outcome = await runUntilWithdrawn(c, async () => {
    // Classify the change after Tabel 4.1 (rammeaftale.md §3.4, step 2).
    const { cls, effectiveFrom } = await classify(k);

    // Row 1: a minor change is free; it is registered on the effective date.
    if (cls.route === 'free') {
      await c.publish({ stage: 'Fri ændring – afventer ikrafttræden' }, { description: `Ændringen kan foretages frit (±${cls.freeLimit} pladser) og registreres ${date(input.effectiveDate)}`, actor: 'system' });
      await untilEffective(effectiveFrom);
      await register(k, cls, `${ROUTE_LABELS.free} (Tabel 4.1, række 1): ${input.currentPlaces} → ${input.newPlaces} pladser, frit inden for ±${cls.freeLimit}`);
      await finish(k, 'Registreret', `Den frie ændring er registreret med virkning fra ${date(input.effectiveDate)}`, 'registered');
      return;
    }

    // Row 5: a closure is handed over to the closure procedure as a child case.
    if (cls.route === 'closure') {
      await handOverToClosure(k, cls);
      return;
    }

    // Rows 2-4: the report deadline runs beside the rest of the case.
    await setReportDeadline(k, cls);
    const reportWatch = followReport(k);

    // Prepare the case (justifications), tell everyone, and the forum step (steps 3-5), again if SDF sends it back.
    if ((await prepareAndTreat(k, cls)) === 'blocked') {
      await broadcastOutcome(k, rejectedBySdfOutcome(input, BODY_NAMES.SDF));
      await finish(k, 'Afvist af Socialdirektørforum', `${BODY_NAMES.SDF} har afvist det nye regionale tilbud; tilbuddet oprettes ikke, og intet er registreret (002:1520)`, 'rejectedBySdf');
      await reportWatch;
      return;
    }

    // The political decision in the driftsherre's council (step 6).
    const decision = await politicalDecision(k);
    if (!decision.approved) {
      await broadcastOutcome(k, notAdoptedOutcome(input, decision.meetingDate));
      await finish(k, 'Ikke vedtaget', 'Ændringen er ikke vedtaget politisk; intet er registreret', 'notAdopted');
      await reportWatch;
      return;
    }

    // The permanent change takes effect on the effective date (step 7).
    if (Date.parse(effectiveFrom) > Date.now()) {
      await c.publish({ stage: 'Vedtaget – afventer ikrafttræden' }, { description: `Ændringen registreres, når den træder i kraft ${date(input.effectiveDate)}`, actor: 'system' });
    }
    await untilEffective(effectiveFrom);
    await register(k, cls, `${ROUTE_LABELS[cls.route]} (Tabel 4.1, række ${cls.tableRow}): ${input.currentPlaces} → ${input.newPlaces} pladser; vedtaget ${date(decision.meetingDate)}`);
    await finish(k, 'Registreret', `Ændringen er trådt i kraft og registreret med virkning fra ${date(input.effectiveDate)}`, 'registered');
    await reportWatch;
  });

  return {
    route: details.classification?.route ?? 'unclassified',
    outcome: outcome === 'withdrawn' ? 'withdrawn' : (details.outcome ?? 'open'),
    status: c.state.status,
  };
}
