/**
 * The one CSV writer of every export (the dashboard's sager.csv and journal.csv in journal.zip): semicolons for
 * Danish Excel, quoting where needed, and formula injection guarded. A cell that starts with = + - @ (or a tab
 * or CR, which some spreadsheets skip before reading a formula) is written as text with a leading apostrophe.
 */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvRow = (cells: unknown[]) => cells.map(csvCell).join(';') + '\r\n';
