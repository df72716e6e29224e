/**
 * How a zod schema becomes a Danish form: the labels, hints and widgets a procedure gives for the paths of its
 * input. The same hints serve the start form, the step forms on the case page, the municipalities' answer forms
 * and the error messages (a field is named by its label, never by its path). Pure data: the API renders it
 * (api/views/schemaForm.ts) and the workflow bundle names fields with it.
 */

/** `textRows`: a list of texts, one text area per item (labels per item path "justifications.0");
 * `yesno`: a required choice between Ja and Nej (a checkbox cannot say "not answered"); `hidden`: carried in the
 * form, not shown (e.g. the kommunenummer of a prefilled row). */
export type Widget = 'textarea' | 'date' | 'party' | 'parties' | 'lines' | 'kroner' | 'textRows' | 'yesno' | 'hidden';

export interface FormHints {
  /** Danish label per path; array items are written with "*" ("payers.*.partyId"). A concrete path
   * ("quotas.3.quota") wins over its pattern. */
  labels: Record<string, string>;
  hints?: Record<string, string>;
  enumLabels?: Record<string, Record<string, string>>;
  widgets?: Record<string, Widget>;
  /** Paths left out of the form (their schema defaults apply). */
  omit?: string[];
  /** Blank rows offered for a list of objects, beyond those already filled in. */
  blankRows?: number;
  /** Which parties the party pickers offer: the whole directory, or municipalities only. */
  partyFilter?: Record<string, 'municipalities' | 'region' | 'regionMunicipalities' | 'all'>;
  /** Choices for a text field that come from the case (its open deadlines, the bodies that are to decide):
   * the field is a select of these. */
  choices?: Record<string, { value: string; label: string }[]>;
}

/** The pattern of a concrete path: "payers.0.partyId" → "payers.*.partyId". */
export const pathPattern = (path: string): string => path.replace(/\.\d+(?=\.|$)/g, '.*');

/** The Danish name of a field: its own label, else its pattern's, else the nearest labelled parent's (an item of
 * a list is named by the list), else "Input". Never the path. */
export function fieldLabel(labels: Record<string, string>, path: string): string {
  const parts = path.split('.').filter(Boolean);
  for (let n = parts.length; n > 0; n--) {
    const p = parts.slice(0, n).join('.');
    const l = labels[p] ?? labels[pathPattern(p)];
    if (l) return n === parts.length || !/^\d+$/.test(parts[n] ?? '') ? l : `${l}, række ${Number(parts[n]) + 1}`;
  }
  return 'Input';
}
