/** The justifications Tabel 4.1 asks of the row, and the wait for them. */
import { condition } from '@temporalio/workflow';
import { justificationsOwedAtStart, type CapacityChangeClassification } from '../../../domain/capacityChange';
import type { Capacity } from '../caseFile';

/**
 * The justifications due when the case is prepared. For a closure only "Lukningen begrundes": the second item
 * (the cost of continuing) is due only if SDF's hearing opposes the closure, which the closure procedure runs.
 */
export function justificationProblem(texts: unknown, required: readonly string[]): string | undefined {
  if (!Array.isArray(texts)) return 'Begrundelserne skal angives som en liste af tekster';
  if (texts.length !== required.length) {
    return `Tabel 4.1 kræver ${required.length} begrundelse${required.length === 1 ? '' : 'r'} for denne ændring, i denne rækkefølge: ${required.map((r, i) => `${i + 1}) ${r}`).join(' ')}`;
  }
  const bad = texts.findIndex((t) => typeof t !== 'string' || t.trim().length < 10);
  if (bad >= 0) return `Begrundelse ${bad + 1} ("${required[bad]}") skal være en tekst på mindst 10 tegn`;
  return undefined;
}

/** The justifications of the row: asked for when the start did not give them all, or again when SDF sent the
 * case back; the flow waits until reviseJustifications gives them. */
export async function justificationStep(k: Capacity, cls: CapacityChangeClassification, revise: boolean): Promise<void> {
  const { c, facts, input } = k;
  const required = justificationsOwedAtStart(cls);
  if (!revise && !justificationProblem(input.justifications, required)) return;
  const round = (facts.justificationsAsked += 1);
  await c.publish(
    { stage: revise ? 'Begrundelserne skal revideres' : 'Afventer begrundelser' },
    {
      description: revise
        ? 'Socialdirektørforum har sendt sagen tilbage: begrundelserne skal revideres, før sagen behandles igen'
        : `Begrundelserne efter Tabel 4.1 mangler eller er ufuldstændige: ${justificationProblem(input.justifications, required)}`,
      actor: 'system',
    },
  );
  await condition(() => facts.justificationsGiven >= round);
}
