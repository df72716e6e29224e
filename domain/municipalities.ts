/**
 * Parser for the municipality data file (data/municipalities-2024.csv: Bilag A and B of Udlændingestyrelsen's
 * landstal letter 2024). Pure string in, records out: no node built-ins, because workflow code may use it.
 */

export interface MunicipalityRecord {
  kommunenr: number;
  name: string;
  region: string;
  /** Indbyggertal 1.1.2023, ekskl. Christiansø. */
  population: number;
  /** Ikke-vestlige udenlandske statsborgere 1.1.2023. */
  nonWesternForeigners: number;
  /** Asylansøgere på centre 15.4.2023 (informational; not used in the quota formula). */
  asylumSeekers: number;
  /** Familiesammenføringer til flygtninge 2022. */
  familyReunified: number;
  /** Beregnet kommunekvote 2024 (Bilag B). */
  calculatedQuota2024: number;
}

const COLUMNS = {
  kommunenr: 'kommunenr',
  name: 'kommune',
  region: 'region',
  population: 'indbyggere_2023_01_01',
  nonWesternForeigners: 'ikke_vestlige_udl_statsborgere_2023_01_01',
  asylumSeekers: 'asylansoegere_paa_centre_2023_04_15',
  familyReunified: 'familiesammenfoerte_til_flygtninge_2022',
  calculatedQuota2024: 'beregnet_kommunekvote_2024',
} as const satisfies Record<keyof MunicipalityRecord, string>;

type CountField = Exclude<keyof MunicipalityRecord, 'kommunenr' | 'name' | 'region'>;
const COUNT_FIELDS: readonly CountField[] = [
  'population',
  'nonWesternForeigners',
  'asylumSeekers',
  'familyReunified',
  'calculatedQuota2024',
];

/** Splits one CSV line (RFC 4180 quoting; fields never span lines in this file). */
function splitCsvLine(line: string, lineNo: number): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        current += ch;
      }
    } else if (ch === '"' && current === '') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted) throw new Error(`Linje ${lineNo}: et felt i anførselstegn er ikke afsluttet`);
  fields.push(current);
  return fields;
}

/** The seed tables print "-" (and sometimes nothing) for zero; the file may carry either. */
function parseCount(raw: string, column: string, lineNo: number): number {
  const s = raw.trim();
  if (s === '' || s === '-') return 0;
  if (!/^\d{1,9}$/.test(s)) {
    throw new Error(`Linje ${lineNo}, kolonne ${column}: "${raw}" er ikke et helt tal på 0 eller derover`);
  }
  return Number(s);
}

function parseKommunenr(raw: string, lineNo: number): number {
  const s = raw.trim();
  if (!/^\d{1,3}$/.test(s) || Number(s) === 0) {
    throw new Error(`Linje ${lineNo}, kolonne kommunenr: "${raw}" er ikke et kommunenummer (1-999)`);
  }
  return Number(s);
}

function columnIndexes(header: string[]): Record<keyof MunicipalityRecord, number> {
  const names = header.map((h) => h.trim());
  const missing = Object.values(COLUMNS).filter((c) => !names.includes(c));
  if (missing.length > 0) throw new Error(`Linje 1: kolonne(r) mangler: ${missing.join(', ')}`);
  return Object.fromEntries(
    Object.entries(COLUMNS).map(([field, column]) => [field, names.indexOf(column)]),
  ) as Record<keyof MunicipalityRecord, number>;
}

/**
 * Parses the CSV text into records in file order. Columns are found by header name; a leading BOM, CRLF line
 * ends and blank lines are tolerated. Throws with the line number on malformed data or a repeated kommunenr.
 */
export function parseMunicipalitiesCsv(text: string): MunicipalityRecord[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const firstContent = lines.findIndex((l) => l.trim() !== '');
  if (firstContent < 0) throw new Error('Filen er tom');
  const idx = columnIndexes(splitCsvLine(lines[firstContent]!, firstContent + 1));
  const records: MunicipalityRecord[] = [];
  const seen = new Set<number>();
  for (let i = firstContent + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = splitCsvLine(raw, lineNo);
    const cell = (field: keyof MunicipalityRecord): string => {
      const value = cells[idx[field]];
      if (value === undefined) throw new Error(`Linje ${lineNo}: kolonnen ${COLUMNS[field]} mangler`);
      return value;
    };
    const kommunenr = parseKommunenr(cell('kommunenr'), lineNo);
    if (seen.has(kommunenr)) throw new Error(`Linje ${lineNo}: kommunenummer ${kommunenr} forekommer mere end én gang`);
    seen.add(kommunenr);
    const name = cell('name').trim();
    const region = cell('region').trim();
    if (name === '' || region === '') throw new Error(`Linje ${lineNo}: kommune og region skal udfyldes`);
    const counts = Object.fromEntries(
      COUNT_FIELDS.map((f) => [f, parseCount(cell(f), COLUMNS[f], lineNo)]),
    ) as Record<CountField, number>;
    records.push({ kommunenr, name, region, ...counts });
  }
  return records;
}
