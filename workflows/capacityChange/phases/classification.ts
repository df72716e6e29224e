/** Step 2 of rammeaftale.md §3.4: the change classified after Tabel 4.1. */
import { justificationsOwedAtStart } from '../../../domain/capacityChange';
import { acts } from '../../blocks/proxies';
import { warn, type Capacity } from '../caseFile';
import { ROUTE_LABELS } from '../contract';
import { danishDate as date } from '../messages';

/** The case is opened and classified after Tabel 4.1; the register's row at the start is kept beside it. */
export async function classify(k: Capacity) {
  const { c, details, input } = k;
  await c.publish(
    { parties: [{ ...k.operatorParty, state: 'driftsherre' }] },
    {
      description: `Sag oprettet: ${input.tilbud.name} (${input.operator.name}), ${input.currentPlaces} → ${input.newPlaces} pladser med virkning fra ${date(input.effectiveDate)}${input.politicalTreatmentDate ? `; politisk behandling ${date(input.politicalTreatmentDate)}` : ''}`,
      actor: input.startedBy,
    },
  );
  const { classification: cls, effectiveFrom } = await acts.classifyCapacity({
    change: {
      operatorType: input.operator.type,
      kind: input.kind,
      currentPlaces: input.currentPlaces,
      newPlaces: input.newPlaces,
      effectiveDate: input.effectiveDate,
      politicalTreatmentDate: input.politicalTreatmentDate ?? null,
    },
  });
  details.classification = cls;
  const required = justificationsOwedAtStart(cls);
  details.justifications = required.length
    ? required.map((requirement, i) => ({ requirement, text: (input.justifications[i] ?? '').trim() }))
    : input.justifications.map((text) => ({ requirement: 'Bemærkning', text: text.trim() }));
  for (const w of cls.warnings) warn(k, w);
  if (input.tilbud.id !== undefined) {
    const t = await acts.capacityTilbud({ tilbudId: input.tilbud.id });
    details.registerAtStart = t ? { fixedPlaces: t.fixedPlaces, temporaryPlaces: t.temporaryPlaces } : null;
    // A-2: the classification counts from the places the caller gives (the period's baseline); a register that
    // says otherwise is shown, not silently corrected.
    if (t && t.fixedPlaces !== input.currentPlaces) {
      warn(k, `Kapacitetsregistret har ${t.fixedPlaces} faste pladser for ${t.name}; ændringen er klassificeret ud fra ${input.currentPlaces} pladser`);
    }
  } else {
    details.registerAtStart = null;
  }
  await c.publish(
    { stage: `Klassificeret: ${ROUTE_LABELS[cls.route].toLowerCase()}` },
    { description: `Klassificeret efter Tabel 4.1, række ${cls.tableRow} (${cls.sources.join(', ')}): ${cls.description}`, actor: 'system' },
  );
  return { cls, effectiveFrom };
}
