import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseMunicipalitiesCsv, type MunicipalityRecord } from '../../domain/municipalities';
import {
  calculateRefugeeQuotas,
  refugeeQuotaInputSchema,
  validateQuotaAgreement,
  type RefugeeQuotaInput,
} from '../../domain/refugeeQuota';

const csvText = readFileSync(join(__dirname, '../../data/municipalities-2024.csv'), 'utf8');
const records = parseMunicipalitiesCsv(csvText);

/** Landstal and regionskvoter 2024 (refugee-quota.md §2.1; 001:848-857). */
const LANDSTAL_2024 = 550;
const REGION_QUOTAS_2024: Record<string, number> = {
  'Region Hovedstaden': 135,
  'Region Sjælland': 81,
  'Region Syddanmark': 125,
  'Region Midtjylland': 141,
  'Region Nordjylland': 68,
};

function input2024(municipalities: readonly MunicipalityRecord[] = records): RefugeeQuotaInput {
  return { landstal: LANDSTAL_2024, regionQuotas: REGION_QUOTAS_2024, municipalities: [...municipalities] };
}

const byName = new Map(records.map((r) => [r.name, r]));
function nr(name: string): number {
  const r = byName.get(name);
  if (!r) throw new Error(`unknown municipality ${name}`);
  return r.kommunenr;
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  const r = refugeeQuotaInputSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('parseMunicipalitiesCsv', () => {
  it('reads all 98 municipalities with their regions', () => {
    expect(records).toHaveLength(98);
    const perRegion = new Map<string, number>();
    for (const r of records) perRegion.set(r.region, (perRegion.get(r.region) ?? 0) + 1);
    expect(Object.fromEntries(perRegion)).toEqual({
      'Region Syddanmark': 22,
      'Region Hovedstaden': 29,
      'Region Sjælland': 17,
      'Region Midtjylland': 19,
      'Region Nordjylland': 11,
    });
  });

  it('matches the national totals stated in the seeds (001:886, 001:1113, 001:1233)', () => {
    const sum = (f: (r: MunicipalityRecord) => number) => records.reduce((a, r) => a + f(r), 0);
    expect(sum((r) => r.population)).toBe(5_932_561);
    expect(sum((r) => r.nonWesternForeigners)).toBe(327_468);
    expect(sum((r) => r.asylumSeekers)).toBe(2_037);
    expect(sum((r) => r.familyReunified)).toBe(437);
    expect(sum((r) => r.calculatedQuota2024)).toBe(550);
  });

  it('types a row', () => {
    expect(records.find((r) => r.kommunenr === 621)).toEqual({
      kommunenr: 621,
      name: 'Kolding',
      region: 'Region Syddanmark',
      population: 94_528,
      nonWesternForeigners: 5_532,
      asylumSeekers: 0,
      familyReunified: 7,
      calculatedQuota2024: 7,
    });
  });

  it('finds columns by name, tolerates BOM, CRLF, quotes and "-" for zero', () => {
    const text =
      '\uFEFFregion,kommune,kommunenr,indbyggere_2023_01_01,ikke_vestlige_udl_statsborgere_2023_01_01,' +
      'asylansoegere_paa_centre_2023_04_15,familiesammenfoerte_til_flygtninge_2022,beregnet_kommunekvote_2024\r\n' +
      '"Region Syddanmark","Ærø, ""by""",492,6008,166,,-,1\r\n\r\n';
    expect(parseMunicipalitiesCsv(text)).toEqual([
      {
        kommunenr: 492,
        name: 'Ærø, "by"',
        region: 'Region Syddanmark',
        population: 6008,
        nonWesternForeigners: 166,
        asylumSeekers: 0,
        familyReunified: 0,
        calculatedQuota2024: 1,
      },
    ]);
  });

  it('rejects malformed data with the line number', () => {
    const header = csvText.split('\n')[0];
    expect(() => parseMunicipalitiesCsv(`${header}\n410,Middelfart,Region Syddanmark,39.961,1408,0,3,6\n`)).toThrow(
      /Linje 2, kolonne indbyggere_2023_01_01/,
    );
    expect(() => parseMunicipalitiesCsv('kommunenr,kommune\n410,Middelfart\n')).toThrow(/kolonne\(r\) mangler/);
    const row = '410,Middelfart,Region Syddanmark,39961,1408,0,3,6';
    expect(() => parseMunicipalitiesCsv(`${header}\n${row}\n${row}\n`)).toThrow(/Linje 3: kommunenummer 410/);
    expect(() => parseMunicipalitiesCsv('')).toThrow(/tom/);
  });
});

describe('calculateRefugeeQuotas: Bilag B 2024', () => {
  const result = calculateRefugeeQuotas(input2024());

  it('reproduces all 98 beregnet_kommunekvote_2024 values', () => {
    const expected = new Map(records.map((r) => [r.kommunenr, r]));
    const mismatches = result.quotas
      .filter((q) => q.quota !== expected.get(q.kommunenr)!.calculatedQuota2024)
      .map((q) => `${expected.get(q.kommunenr)!.name} (${q.kommunenr}): got ${q.quota}, Bilag B ${expected.get(q.kommunenr)!.calculatedQuota2024}`);
    const matches = result.quotas.length - mismatches.length;
    expect(result.quotas).toHaveLength(98);
    expect(matches, `mismatches:\n${mismatches.join('\n')}`).toBe(98);
  });

  it('reproduces the Syddanmark table of the notes (refugee-quota.md §3, option A)', () => {
    const expected: Record<string, number> = {
      Middelfart: 6,
      Assens: 9,
      'Faaborg-Midtfyn': 11,
      Kerteminde: 1,
      Nyborg: 1,
      Odense: 13,
      Svendborg: 9,
      Nordfyns: 5,
      Langeland: 2,
      Ærø: 1,
      Haderslev: 3,
      Billund: 3,
      Sønderborg: 7,
      Tønder: 1,
      Esbjerg: 15,
      Fanø: 1,
      Varde: 6,
      Vejen: 6,
      Aabenraa: 9,
      Fredericia: 6,
      Kolding: 7,
      Vejle: 3,
    };
    const syd = result.quotas.filter((q) => q.region === 'Region Syddanmark');
    expect(syd).toHaveLength(22);
    const got = Object.fromEntries(syd.map((q) => [records.find((r) => r.kommunenr === q.kommunenr)!.name, q.quota]));
    expect(got).toEqual(expected);
  });

  it('shows the intermediate values of the notes (Syddanmark step by step)', () => {
    const q = (name: string) => result.quotas.find((x) => x.kommunenr === nr(name))!;
    // foreløbigt fordelingstal and ideal, 3 decimals in the notes.
    expect(Number(q('Middelfart').weight).toFixed(3)).toBe('6.053');
    expect(Number(q('Middelfart').ideal).toFixed(3)).toBe('5.674');
    expect(Number(q('Fanø').ideal).toFixed(3)).toBe('0.806');
    expect(Number(q('Vejle').weight).toFixed(3)).toBe('3.427');
    expect(q('Odense').weight).toMatch(/^\d+\.\d{6}$/);
  });

  it('gives a zero quota where the foreløbigt fordelingstal is negative or rounds to zero', () => {
    const q = (name: string) => result.quotas.find((x) => x.kommunenr === nr(name))!;
    expect(q('Brøndby')).toMatchObject({ quota: 0, weight: '0.000000', ideal: '0.000000' });
    expect(q('Rebild')).toMatchObject({ quota: 0, weight: '0.000000' });
    expect(q('Vallensbæk').quota).toBe(0);
    expect(Number(q('Vallensbæk').ideal)).toBeGreaterThan(0);
  });

  it('rounds by largest remainder, not plainly (Hovedstaden would sum to 134)', () => {
    const hovedstaden = result.quotas.filter((q) => q.region === 'Region Hovedstaden');
    expect(hovedstaden.reduce((a, q) => a + q.quota, 0)).toBe(135);
    expect(hovedstaden.reduce((a, q) => a + Math.round(Number(q.ideal)), 0)).toBe(134);
    expect(result.quotas.find((q) => q.kommunenr === 101)!.quota).toBe(45);
  });

  it('sorts the result by kommunenr and has no warnings', () => {
    const nrs = result.quotas.map((q) => q.kommunenr);
    expect(nrs).toEqual([...nrs].sort((a, b) => a - b));
    expect(result.warnings).toEqual([]);
  });
});

describe('calculateRefugeeQuotas: rules', () => {
  const twin = (kommunenr: number) => ({
    kommunenr,
    region: 'R',
    population: 1000,
    nonWesternForeigners: 10,
    familyReunified: 0,
  });

  it('gives an exact tie to the lower kommunenr, whatever the input order', () => {
    const r = calculateRefugeeQuotas({ landstal: 1, regionQuotas: { R: 1 }, municipalities: [twin(20), twin(10)] });
    expect(r.quotas.map((q) => [q.kommunenr, q.quota, q.ideal])).toEqual([
      [10, 1, '0.500000'],
      [20, 0, '0.500000'],
    ]);
  });

  it('uses national shares: another region changes the split inside a region', () => {
    const r = [
      { kommunenr: 1, region: 'R', population: 100, nonWesternForeigners: 5, familyReunified: 0 },
      { kommunenr: 2, region: 'R', population: 100, nonWesternForeigners: 1, familyReunified: 0 },
    ];
    // Alone: andel 1 − 5/6 and 1 − 1/6 → ideals 1.667 and 8.333.
    const alone = calculateRefugeeQuotas({ landstal: 10, regionQuotas: { R: 10 }, municipalities: r });
    expect(alone.quotas.map((q) => q.quota)).toEqual([2, 8]);
    // With S: andel 2/3 − 5/6 < 0 and 2/3 − 1/6 → all ten to kommune 2.
    const s = { kommunenr: 3, region: 'S', population: 100, nonWesternForeigners: 0, familyReunified: 0 };
    const national = calculateRefugeeQuotas({ landstal: 10, regionQuotas: { R: 10, S: 0 }, municipalities: [...r, s] });
    expect(national.quotas.map((q) => q.quota)).toEqual([0, 10, 0]);
    expect(national.quotas[1]!.weight).toBe('5.000000');
  });

  it('warns when the regionskvoter do not add up to the landstal', () => {
    const r = calculateRefugeeQuotas({ ...input2024(), landstal: 600 });
    expect(r.warnings).toEqual(['Regionskvoterne summer til 550, men landstallet er 600; kommunekvoterne følger regionskvoterne.']);
  });
});

describe('refugeeQuotaInputSchema: validation in Danish', () => {
  it('accepts the 2024 data', () => {
    expect(issuesOf(input2024())).toEqual([]);
  });

  it('names the field of a bad number', () => {
    const bad = input2024().municipalities.map((m, i) => (i === 0 ? { ...m, population: -1 } : m));
    expect(issuesOf({ ...input2024(), landstal: 5.5, municipalities: bad })).toEqual([
      { path: 'landstal', message: 'Landstallet (landstal) skal være et helt tal' },
      { path: 'municipalities.0.population', message: 'Indbyggertal (population) må ikke være negativ' },
    ]);
  });

  it('rejects a duplicate kommunenr', () => {
    const dup = [...records, { ...records[0]! }];
    expect(issuesOf(input2024(dup))).toEqual([
      { path: 'municipalities.98.kommunenr', message: 'Middelfart (410): kommunenummeret forekommer mere end én gang' },
    ]);
  });

  it('rejects a municipality whose region has no quota', () => {
    const { 'Region Nordjylland': _n, ...quotas } = REGION_QUOTAS_2024;
    const issues = issuesOf({ ...input2024(), regionQuotas: quotas });
    expect(issues).toHaveLength(11);
    expect(issues[0]!.message).toBe('Morsø (773): regionen "Region Nordjylland" har ingen regionskvote i regionQuotas');
  });

  it('rejects a region quota without municipalities', () => {
    expect(issuesOf({ ...input2024(), regionQuotas: { ...REGION_QUOTAS_2024, 'Region Bornholm': 3 } })).toEqual([
      { path: 'regionQuotas.Region Bornholm', message: 'Regionen "Region Bornholm" har en kvote, men ingen kommuner' },
    ]);
  });

  it('rejects a positive region quota when no municipality there has a positive weight', () => {
    const issues = issuesOf({
      landstal: 0,
      regionQuotas: { R: 0, S: 2 },
      municipalities: [
        { kommunenr: 1, region: 'R', population: 100, nonWesternForeigners: 1, familyReunified: 0 },
        { kommunenr: 2, region: 'S', population: 100, nonWesternForeigners: 1, familyReunified: 50 },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual(['regionQuotas.S']);
  });

  it('throws the ZodError from calculateRefugeeQuotas', () => {
    expect(() => calculateRefugeeQuotas({ ...input2024(), landstal: -1 })).toThrow(ZodError);
  });
});

describe('validateQuotaAgreement', () => {
  const syd = records.filter((r) => r.region === 'Region Syddanmark');
  const municipalities = syd.map((r) => ({ kommunenr: r.kommunenr, name: r.name }));
  const bilagB = syd.map((r) => ({ kommunenr: r.kommunenr, quota: r.calculatedQuota2024 }));
  const agreement = (proposed: { kommunenr: unknown; quota: unknown }[]) =>
    validateQuotaAgreement({ region: 'Region Syddanmark', regionQuota: 125, municipalities, proposed });

  it('accepts Bilag B and any other split of the same 125', () => {
    expect(agreement(bilagB)).toEqual({ ok: true, errors: [] });
    const moved = bilagB.map((p) =>
      p.kommunenr === 621 ? { ...p, quota: p.quota + 1 } : p.kommunenr === 461 ? { ...p, quota: p.quota - 1 } : p,
    );
    expect(agreement(moved).ok).toBe(true);
  });

  it('reports a wrong sum', () => {
    const short = bilagB.map((p) => (p.kommunenr === 621 ? { ...p, quota: 6 } : p));
    expect(agreement(short)).toEqual({
      ok: false,
      errors: [{ field: 'sum', message: 'Kvoterne summer til 124, men regionskvoten for Region Syddanmark er 125 (1 for lidt)' }],
    });
  });

  it('reports a missing and a duplicated municipality by name', () => {
    const proposed = [...bilagB.filter((p) => p.kommunenr !== 621), { kommunenr: 461, quota: 0 }, { kommunenr: 461, quota: 7 }];
    const r = agreement(proposed);
    expect(r.ok).toBe(false);
    expect(r.errors).toContainEqual({ kommunenr: 621, field: 'quota', message: 'Kolding (621): mangler en kvote' });
    expect(r.errors).toContainEqual({ kommunenr: 461, field: 'kommunenr', message: 'Odense (461): står mere end én gang i forslaget' });
  });

  it('reports negative and fractional quotas and skips the sum check then', () => {
    const bad = bilagB.map((p) =>
      p.kommunenr === 621 ? { ...p, quota: -1 } : p.kommunenr === 410 ? { ...p, quota: 5.5 } : p,
    );
    expect(agreement(bad).errors).toEqual([
      { kommunenr: 410, field: 'quota', message: 'Middelfart (410): kvoten skal være et helt tal på 0 eller derover (fik 5.5)' },
      { kommunenr: 621, field: 'quota', message: 'Kolding (621): kvoten skal være et helt tal på 0 eller derover (fik -1)' },
    ]);
    const text = bilagB.map((p) => (p.kommunenr === 621 ? { ...p, quota: '7' } : p));
    expect(agreement(text).errors).toHaveLength(1);
  });

  it('reports a municipality from another region', () => {
    const r = agreement([...bilagB, { kommunenr: 101, quota: 0 }]);
    expect(r.errors).toEqual([
      { kommunenr: 101, field: 'kommunenr', message: 'Forslagets linje 23: kommune 101 hører ikke til Region Syddanmark' },
    ]);
  });

  it('turns a malformed request into errors instead of throwing', () => {
    const r = validateQuotaAgreement({ region: 'Region Syddanmark', regionQuota: -3, municipalities, proposed: bilagB });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([{ field: 'regionQuota', message: 'Regionskvoten (regionQuota) må ikke være negativ' }]);
  });
});

describe('parseQuotaTable (the agency\'s Bilag B as pasted)', () => {
  it('reads numbers or names with any separator, skips a header, and names bad lines', async () => {
    const { parseQuotaTable } = await import('../../domain/refugeeQuota');
    const munis = [
      { kommunenr: 461, name: 'Odense' },
      { kommunenr: 621, name: 'Kolding' },
      { kommunenr: 563, name: 'Fanø' },
      { kommunenr: 479, name: 'Svendborg' },
    ];
    const r = parseQuotaTable('Kommune;Kvote\n461;Odense;14\nKolding\t9\nFanø Kommune, 1\n479 Svendborg  4\n', munis);
    expect(r.errors).toEqual([]);
    expect(r.quotas).toEqual([
      { kommunenr: 461, quota: 14 },
      { kommunenr: 621, quota: 9 },
      { kommunenr: 563, quota: 1 },
      { kommunenr: 479, quota: 4 },
    ]);
    const bad = parseQuotaTable('461;14\nGotham;3\nKolding;ni', munis);
    expect(bad.errors).toEqual(['Linje 2: "Gotham" er hverken et kendt kommunenummer eller et kendt kommunenavn', 'Linje 3: "Kolding;ni" slutter ikke med en kvote (et helt tal)']);
    expect(parseQuotaTable('  \n', munis).errors).toEqual(['Tabellen er tom: indsæt én linje pr. kommune med kommunenummer eller navn og kvote']);
  });
});
