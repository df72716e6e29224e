import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcileSecretariatBudget, type SecretariatBudgetInput } from '../../../domain/other/secretariat-budget';

type Column = SecretariatBudgetInput['columns'][number];
const P = (value: string, source: string) => ({ value, source });
const lines = (...xs: [string, string][]) => xs.map(([label, amount]) => ({ label, amount }));

/** Socialsekretariat, seed 001:1738-1767: one column of the table. */
function socialColumn(
  label: string,
  v: {
    personale: [string, string, string];
    materiale: [string, string, string, string, string, string];
    kapacitet: [string, string];
    husleje: string;
    kdk: string;
    subtotals: [string, string, string];
    udgifter: string;
    betaling: string;
    resultat: string;
    opening: string;
    closing: string;
  },
  openingFrom?: string,
): Column {
  const src = '001:1738-1767';
  return {
    label,
    balanceConvention: 'positiveIsReserve',
    expenseGroups: [
      {
        label: 'Personaleudgifter i alt',
        lines: lines(['Løn', v.personale[0]], ['Efteruddannelse', v.personale[1]], ['Tjenestekørsel', v.personale[2]]),
        printedSubtotal: P(v.subtotals[0], src),
      },
      {
        label: 'Materiale og aktivitetsudgifter i alt',
        lines: lines(
          ['Øvrige aktiviteter', v.materiale[0]],
          ['Sammen om psykiatri', v.materiale[1]],
          ['Klimasekretariatet', v.materiale[2]],
          ['Indberetningssystemet KIR', v.materiale[3]],
          ['Fælleskommunal mødevirksomhed', v.materiale[4]],
          ['Kontorhold, konsulentbistand m.m.', v.materiale[5]],
        ),
        printedSubtotal: P(v.subtotals[1], src),
      },
      {
        label: 'Kapacitetsudgifter i alt',
        lines: lines(['Udgifter til IT', v.kapacitet[0]], ['Inventar', v.kapacitet[1]]),
        printedSubtotal: P(v.subtotals[2], src),
      },
      { label: 'Grunde og bygninger i alt', lines: lines(['Husleje m.m.', v.husleje]) },
      { label: 'Overførsel til kommunaldirektørkredsen', lines: lines(['Overførsel', v.kdk]) },
    ],
    printedExpensesTotal: P(v.udgifter, src),
    income: lines(['Kommunebetaling', v.betaling]),
    openingBalance: v.opening,
    ...(openingFrom ? { openingFrom } : {}),
    printedResult: P(v.resultat, src),
    printedClosingBalance: P(v.closing, src),
  };
}

const SOCIAL: SecretariatBudgetInput = {
  resultConvention: 'negativeIsDeficit',
  columns: [
    socialColumn('B22', {
      personale: ['1250000', '25000', '45000'],
      materiale: ['480000', '0', '700000', '0', '300000', '210000'],
      kapacitet: ['5000', '30000'],
      husleje: '52800',
      kdk: '100000',
      subtotals: ['1320000', '1690000', '35000'],
      udgifter: '3197800',
      betaling: '-2497800',
      resultat: '-700000',
      opening: '1528000',
      closing: '828000',
    }),
    socialColumn('R22', {
      personale: ['1382127', '0', '23124'],
      materiale: ['20148', '135777', '700000', '59009', '187628', '20760'],
      kapacitet: ['10612', '0'],
      husleje: '65125',
      kdk: '100000',
      subtotals: ['1405251', '1123322', '10612'],
      udgifter: '2704310',
      betaling: '-2498901',
      resultat: '-205409',
      opening: '1528000',
      closing: '1322591',
    }),
    socialColumn(
      'FR23',
      {
        personale: ['1400000', '0', '25000'],
        materiale: ['15000', '85000', '852000', '70000', '317800', '40000'],
        kapacitet: ['5000', '0'],
        husleje: '66020',
        kdk: '0',
        subtotals: ['1425000', '1379800', '5000'],
        udgifter: '2875820',
        betaling: '-2498901',
        resultat: '-376919',
        opening: '1322591',
        closing: '945672',
      },
      'R22',
    ),
    socialColumn(
      'B24',
      {
        personale: ['1450000', '25000', '30000'],
        materiale: ['313101', '0', '0', '70000', '317800', '100000'],
        kapacitet: ['15000', '10000'],
        husleje: '68000',
        kdk: '100000',
        subtotals: ['1505000', '800901', '25000'],
        udgifter: '2498901',
        betaling: '-2498901',
        resultat: '0',
        opening: '945672',
        closing: '945672',
      },
      'FR23',
    ),
  ],
};

/** Sundhedssekretariat, seed 001:2007-2030: totals per group (B22 prints only the group totals). */
function healthColumn(
  label: string,
  convention: Column['balanceConvention'],
  groups: [string, string, string, string],
  udgifter: string,
  betaling: string,
  resultat: string,
  opening: string,
  closing: string,
  openingFrom?: string,
): Column {
  const src = '001:2007-2030';
  const names = ['Personaleudgifter i alt', 'Materiale og aktivitetsudgifter i alt', 'Kapacitetsudgifter i alt', 'Grunde og bygninger i alt'];
  return {
    label,
    balanceConvention: convention,
    expenseGroups: groups.map((g, i) => ({ label: names[i]!, lines: lines([names[i]!, g]) })),
    printedExpensesTotal: P(udgifter, src),
    income: lines(['Kommunebetaling', betaling]),
    openingBalance: opening,
    ...(openingFrom ? { openingFrom } : {}),
    printedResult: P(resultat, src),
    printedClosingBalance: P(closing, src),
  };
}

const HEALTH: SecretariatBudgetInput = {
  resultConvention: 'positiveIsDeficit',
  columns: [
    healthColumn('B21', 'positiveIsReserve', ['1504700', '265547', '86655', '62500'], '1919402', '-1786762', '132640', '1225074', '1092434'),
    healthColumn('R21', 'positiveIsReserve', ['1390199', '55127', '68199', '65023'], '1578548', '-1786763', '-208216', '1225074', '1433290'),
    healthColumn('B22', 'negativeIsReserve', ['1165000', '375000', '0', '52800'], '1592800', '-1821500', '-228700', '-1433000', '-1661700'),
    healthColumn('R22', 'negativeIsReserve', ['1991154', '167654', '138386', '65125'], '2362319', '-1824713', '537606', '-1433000', '-895394', 'R21'),
    healthColumn('B23', 'negativeIsReserve', ['1400000', '300000', '75000', '70000'], '1845000', '-1821500', '23500', '-895394', '-871894', 'R22'),
    healthColumn('B24', 'negativeIsReserve', ['1555000', '215000', '75000', '70000'], '1915000', '-1824713', '90287', '-505607', '-415320', 'B23'),
  ],
};

describe('Socialsekretariat budget table (A8; 001:1738-1767)', () => {
  it('every subtotal, result and balance recomputes; B24 is in balance with 945.672 carried', () => {
    const r = reconcileSecretariatBudget(SOCIAL);
    expect(r.warnings).toEqual([]);
    expect(r.columns.map((c) => [c.label, c.expenses, c.result, c.closingBalance])).toEqual([
      ['B22', '3197800', '-700000', '828000'],
      ['R22', '2704310', '-205409', '1322591'],
      ['FR23', '2875820', '-376919', '945672'],
      ['B24', '2498901', '0', '945672'],
    ]);
    // "merforbrug på 205.000 kr." (003:1228): a negative result is a deficit in this table.
    expect(r.columns[1]!.deficit).toBe('205409');
  });
});

describe('Kommunaldirektørkredsen sub-budget (001:1769-1777)', () => {
  it('B24/B25: the 100.000 expense line does not make 68.000 in total, and B25 opens at 0 instead of 308.045', () => {
    const src = '001:1771-1777';
    const col = (label: string, opening: string, closing: string, openingFrom?: string): Column => ({
      label,
      balanceConvention: 'positiveIsReserve',
      expenseGroups: [{ label: 'Kommunaldirektørkredsen', lines: lines(['Kommunaldirektørkredsen', '100000']) }],
      printedExpensesTotal: P('68000', src),
      income: lines(['Kommunebetaling', '-68000']),
      openingBalance: opening,
      ...(openingFrom ? { openingFrom } : {}),
      printedResult: P('0', src),
      printedClosingBalance: P(closing, src),
    });
    const r = reconcileSecretariatBudget({
      resultConvention: 'negativeIsDeficit',
      columns: [col('B24', '308045', '308045'), col('B25', '0', '0', 'B24')],
    });
    expect(r.columns[0]).toMatchObject({ expenses: '100000', result: '-32000', closingBalance: '276045' });
    expect(r.warnings).toEqual([
      'B24, udgifter i alt: beregnet 100.000 kr., men trykt 68.000 kr. (001:1771-1777); den beregnede værdi anvendes.',
      'B24, regnskabsresultat: beregnet −32.000 kr., men trykt 0 kr. (001:1771-1777); den beregnede værdi anvendes.',
      'B24, overførsel til efterfølgende år: beregnet 276.045 kr., men trykt 308.045 kr. (001:1771-1777); den beregnede værdi anvendes.',
      'B25, udgifter i alt: beregnet 100.000 kr., men trykt 68.000 kr. (001:1771-1777); den beregnede værdi anvendes.',
      'B25, regnskabsresultat: beregnet −32.000 kr., men trykt 0 kr. (001:1771-1777); den beregnede værdi anvendes.',
      'B25, overførsel til efterfølgende år: beregnet −32.000 kr., men trykt 0 kr. (001:1771-1777); den beregnede værdi anvendes.',
      'B25, overførsler tidligere år: 0 kr. svarer ikke til B24s trykte overførsel til efterfølgende år ' +
        '(reserve 308.045 kr. mod 0 kr. her, forskel −308.045 kr.).',
    ]);
  });
});

describe('Sundhedssekretariat budget table (A8; 001:2007-2030)', () => {
  const r = reconcileSecretariatBudget(HEALTH);
  const col = (l: string) => r.columns.find((c) => c.label === l)!;

  it('B24: 1.915.000 − 1.824.713 = 90.287 deficit; −505.607 + 90.287 = −415.320', () => {
    expect(col('B24')).toMatchObject({ expenses: '1915000', result: '90287', deficit: '90287', closingBalance: '-415320', reserveAfter: '415320' });
  });

  it('R22: deficit 537.606, 895.394 carried to 2023 (003:1295-1324)', () => {
    expect(col('R22')).toMatchObject({ result: '537606', closingBalance: '-895394', reserveAfter: '895394' });
  });

  it('flags the three seed inconsistencies: R21 1 kr., R21→R22 290 kr., B23→B24 opening', () => {
    expect(col('R21').result).toBe('-208215');
    expect(r.warnings).toEqual([
      'R21, regnskabsresultat: beregnet −208.215 kr., men trykt −208.216 kr. (001:2007-2030); den beregnede værdi anvendes.',
      'R21, overførsel til efterfølgende år: beregnet 1.433.289 kr., men trykt 1.433.290 kr. (001:2007-2030); den beregnede værdi anvendes.',
      'R22, overførsler tidligere år: −1.433.000 kr. svarer ikke til R21s trykte overførsel til efterfølgende år ' +
        '(reserve 1.433.290 kr. mod 1.433.000 kr. her, forskel −290 kr.).',
      'B24, overførsler tidligere år: −505.607 kr. svarer ikke til B23s trykte overførsel til efterfølgende år ' +
        '(reserve 871.894 kr. mod 505.607 kr. her, forskel −366.287 kr.).',
    ]);
  });
});

describe('Secretariat budget properties', () => {
  it('property: closing = opening ± result in each convention, and self-consistent printed figures never warn', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(5_000_000), { minLength: 1, maxLength: 6 }),
        fc.nat(10_000_000),
        fc.integer({ min: -5_000_000, max: 5_000_000 }),
        fc.constantFrom('negativeIsDeficit', 'positiveIsDeficit') as fc.Arbitrary<SecretariatBudgetInput['resultConvention']>,
        fc.constantFrom('positiveIsReserve', 'negativeIsReserve') as fc.Arbitrary<Column['balanceConvention']>,
        (expenseLines, payment, opening, resultConvention, balanceConvention) => {
          const base: Column = {
            label: 'Y1',
            balanceConvention,
            expenseGroups: [{ label: 'g', lines: expenseLines.map((a, i) => ({ label: `l${i}`, amount: String(a) })) }],
            income: [{ label: 'Kommunebetaling', amount: String(-payment) }],
            openingBalance: String(opening),
          };
          const first = reconcileSecretariatBudget({ resultConvention, columns: [base] }).columns[0]!;
          const expenses = expenseLines.reduce((a, b) => a + b, 0);
          expect(Number(first.deficit)).toBe(expenses - payment);
          expect(Number(first.result)).toBe(resultConvention === 'positiveIsDeficit' ? expenses - payment : payment - expenses);
          const s = balanceConvention === 'positiveIsReserve' ? 1 : -1;
          expect(Number(first.reserveAfter)).toBe(s * opening - (expenses - payment));
          // Feed the computed figures back as printed ones, plus a continuation column: no warnings.
          const again = reconcileSecretariatBudget({
            resultConvention,
            columns: [
              { ...base, printedResult: P(first.result, 's'), printedClosingBalance: P(first.closingBalance, 's') },
              { ...base, label: 'Y2', openingBalance: first.closingBalance, openingFrom: 'Y1' },
            ],
          });
          expect(again.warnings).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
