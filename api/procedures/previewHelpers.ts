import type { Pool } from 'pg';
import { calculateClosureSettlement, settlementInputFromBasis } from '../../domain/closureSettlement';
import { D, danishKronerSigned, kronerString } from '../../domain/money';
import { makeDeadline, type Deadline, type DeadlineRule } from '../../domain/calendar/deadline';
import type { PlainDate } from '../../domain/calendar/plainDate';
import { formatDanishDate } from '../../domain/calendar/format';
import { bodyName } from '../../domain/bodies';


export function deadlineOf(spec: { wording: string; rule: DeadlineRule; nominalDate: string }): Deadline {
  return makeDeadline({ wording: spec.wording, rule: spec.rule, nominalDate: spec.nominalDate as PlainDate });
}

/** The meetings left of each body before a date, and a warning for a body with none (the case cannot be treated
 * in time unless a meeting is added to the political calendar). */
export async function meetingsBefore(pool: Pool, bodies: string[], from: string, until: string) {
  const rows: string[][] = [];
  const warnings: string[] = [];
  for (const body of bodies) {
    const { rows: found } = await pool.query<{ d: string }>(
      `SELECT to_char(meeting_date, 'YYYY-MM-DD') AS d FROM political_meeting WHERE body = $1 AND meeting_date >= $2 AND meeting_date <= $3 ORDER BY meeting_date`,
      [body, from, until],
    );
    rows.push([bodyName(body), found.length ? found.map((r) => formatDanishDate(r.d as PlainDate)).join(', ') : 'Intet møde']);
    if (!found.length) warnings.push(`${bodyName(body)} har intet møde i den politiske kalender mellem ${formatDanishDate(from as PlainDate)} og ${formatDanishDate(until as PlainDate)}.`);
  }
  return { title: 'Møder i den politiske kalender før fristen', head: ['Organ', 'Møder'], rows, warnings };
}

export interface SettlementPreviewBasis {
  operatorType: 'municipal' | 'regional';
  operatorPartyId: string;
  structure: 'standalone' | 'economicUnit';
  closedByAuthority: boolean;
  turnoverDecisionYear: string;
  otherUnitsTurnoverDecisionYear?: string;
  payers: { partyId: string; name: string; turnoverYearMinus2: string; turnoverYearMinus1: string }[];
  otherRegionalTilbud: { id: string; name: string; costBudget?: string; turnover?: string }[];
}

/** How a deficit would be settled on the basis entered now (the two-year key; Bilag 5). The real amounts come
 * from the audited final account; the example only shows who bears what. The example deficit is 10 % of the
 * decision year's turnover: twice the 5 % own risk, so half of it is distributed and the key shows. */

export function settlementPreview(b: SettlementPreviewBasis) {
  const exampleDeficit = kronerString(new D(b.turnoverDecisionYear).times('0.10'));
  const r = calculateClosureSettlement(settlementInputFromBasis(b, { income: '0', costs: exampleDeficit, carriedForward: '0' }));
  const names = new Map([...b.payers.map((p) => [p.partyId, p.name] as const), ...b.otherRegionalTilbud.map((t) => [t.id, t.name] as const)]);
  const distributed = r.shares.reduce((sum, s) => sum.plus(s.amount), new D(0));
  // Each payer's share of what is distributed, as a percentage ("33,0 %"), beside the amount.
  const shareOf = (amount: string) => (distributed.isZero() ? '–' : `${new D(amount).div(distributed).times(100).toFixed(1).replace('.', ',')} %`);
  return {
    title: `Eksempel: et underskud på ${kr(exampleDeficit)} (10 % af omsætningen i beslutningsåret) fordelt efter bilag 5`,
    head: ['Post', 'Beløb', 'Andel af det fordelte'],
    rows: [...r.lines.map((l) => [l.label, kr(l.amount), '']), ...r.shares.map((s) => [`Andel: ${names.get(s.id) ?? s.id}`, kr(s.amount), shareOf(s.amount)])],
    note: 'Kun et eksempel til kontrol af fordelingsnøglen. Efterreguleringen beregnes af det reviderede endelige lukkeregnskab.',
    warnings: r.warnings,
  };
}

const kr = danishKronerSigned;
