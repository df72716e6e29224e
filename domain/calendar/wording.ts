/**
 * How the keyword of a Danish deadline text decides which day is the last one in time:
 * "senest den X" (on or before), "inden den X" (policy: on or before by default, or strictly before),
 * "før den X" (strictly before).
 */

/**
 * - onOrBefore: X itself is in time.
 * - strictlyBefore: X itself is too late; the last day in time is the day before X.
 */
export type DeadlineInterpretation = 'onOrBefore' | 'strictlyBefore';
export const DEADLINE_INTERPRETATIONS = ['onOrBefore', 'strictlyBefore'] as const;

export interface WordingInterpretation {
  readonly interpretation: DeadlineInterpretation;
  /** Danish explanation of the reading, for the case journal. */
  readonly basis: string;
}

export interface WordingPolicy {
  /**
   * How "inden den X" is read. "onOrBefore" by default: a careful case officer treats X itself as in time,
   * because "inden" in Danish administrative usage commonly means "senest"; the strict reading is available
   * for procedures where the counterparty may read it literally (refugee-quota.md §4 item 5).
   */
  readonly indenMeans?: DeadlineInterpretation;
}

/**
 * Reads the keyword of a deadline text. "senest" always means on or before, even in "senest 3 måneder før
 * …" (there "før" belongs to the offset, not to the deadline); "inden" follows the policy; a bare "før den X"
 * is strictly before X; anything else is read as on or before.
 */
export function interpretationForWording(wording: string, policy: WordingPolicy = {}): WordingInterpretation {
  const text = wording.trim().toLowerCase();
  if (/(^|[^a-zæøå])senest([^a-zæøå]|$)/.test(text)) {
    return { interpretation: 'onOrBefore', basis: '"senest" betyder til og med den nævnte dag' };
  }
  if (/(^|[^a-zæøå])inden den([^a-zæøå]|$)/.test(text)) {
    const interpretation = policy.indenMeans ?? 'onOrBefore';
    return {
      interpretation,
      basis:
        interpretation === 'onOrBefore'
          ? '"inden den" læses som "senest den" (dagen selv er rettidig)'
          : '"inden den" læses bogstaveligt som "før den" (dagen selv er for sent)',
    };
  }
  if (/(^|[^a-zæøå])før den([^a-zæøå]|$)/.test(text)) {
    return { interpretation: 'strictlyBefore', basis: '"før den" betyder, at den nævnte dag selv er for sent' };
  }
  return { interpretation: 'onOrBefore', basis: 'ingen særlig ordlyd; læses som til og med den nævnte dag' };
}
