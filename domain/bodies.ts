/**
 * The political and administrative bodies a case can pass through, and their names as users read them (in
 * journal entries, on the case page, on the dashboard and in start previews). One table for all of them.
 */
export type Body = 'SDF' | 'FU' | 'K22' | 'KKR' | 'KKU' | 'SDK';

export const BODY_NAMES: Record<Body, string> = {
  SDF: 'Socialdirektørforum',
  FU: 'Forretningsudvalget',
  K22: 'K22 (kommunaldirektørkredsen)',
  KKR: 'KKR Syddanmark',
  KKU: 'KKU',
  SDK: 'Sundhedsdirektørkredsen',
};

/** What a body decided, as the journal words it. */
export type DecisionOutcome = 'approved' | 'amend' | 'rejected';
export const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
  approved: 'godkendt / anbefalet',
  amend: 'sendt tilbage til ændring',
  rejected: 'afvist',
};

/** The body's name for a code that may come from outside (a read-model row, a form); unknown codes as given. */
export function bodyName(code: string): string {
  return (BODY_NAMES as Record<string, string>)[code] ?? code;
}
