/**
 * The state each party has in a case summary, as the procedures word it ("afventer svar", "svaret (for sent)",
 * "mangler svar (for sent)", "mangler indberetning (for sent)"). A party is late while it still owes what was
 * asked of it and its deadline has passed: the procedures say so as "mangler … (for sent)". Answered late
 * ("svaret (for sent)") is history, not a party the case waits for.
 */
const LATE = /^mangler\b.*\(for sent\)$/;

export function isLatePartyState(state: string): boolean {
  return LATE.test(state);
}

/** How many parties of a summary are late now. */
export function lateParties(parties: readonly { state: string }[]): number {
  return parties.filter((p) => isLatePartyState(p.state)).length;
}
