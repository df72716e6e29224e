/**
 * The settlement basis and the accounts' figures of a closure: what is missing or inconsistent, in Danish, and the
 * basis as a basis step leaves it.
 */
import { closureSettlementInputSchema } from '../../domain/closureSettlement';
import { settlementInputFor, type AccountFigures, type ClosureBasis, type ClosureInput, type SettlementBasisStepInput } from './contract';

// Labels of the settlement calculation's fields, for its cross-field messages.
const FIELD_LABELS: Record<string, string> = {
  income: 'Indtægter',
  costs: 'Omkostninger',
  carriedForward: 'Overført fra tidligere år',
  turnoverDecisionYear: 'Omsætning i beslutningsåret',
  otherUnitsTurnoverDecisionYear: 'Omsætning i beslutningsåret for centrets øvrige tilbud',
  payers: 'Betalingskommuner',
  otherRegionalTilbud: 'Regionens øvrige tilbud',
  amount: 'Beløb',
};

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${FIELD_LABELS[String(i.path[0])] ?? (i.path.map(String).join('.') || 'Input')}: ${i.message}`).join('; ');
}

export type CaseData = Pick<ClosureInput, 'operator' | 'classification'> & ClosureBasis;

/** What is missing or inconsistent in the settlement basis, in Danish; undefined when it is complete. */
export function basisProblem(data: CaseData): string | undefined {
  if (data.turnoverDecisionYear === undefined) return 'Omsætning i beslutningsåret: Skal udfyldes';
  const parsed = closureSettlementInputSchema.safeParse(settlementInputFor(data, { income: '0', costs: '0', carriedForward: '0' }));
  return parsed.success ? undefined : describeIssues(parsed.error.issues);
}

/** Why figures (already kroner strings, by the step's schema) cannot be settled on this basis, in Danish. */
export function figuresProblem(data: CaseData, figures: AccountFigures): string | undefined {
  const incomplete = basisProblem(data);
  if (incomplete) return `Grundlaget for efterreguleringen er ufuldstændigt (${incomplete}); registrér grundlaget først`;
  const parsed = closureSettlementInputSchema.safeParse(settlementInputFor(data, figures));
  return parsed.success ? undefined : describeIssues(parsed.error.issues);
}

export function pickBasis(x: Partial<ClosureBasis> & Pick<ClosureBasis, 'structure'>): ClosureBasis {
  return {
    structure: x.structure,
    ...(x.turnoverDecisionYear !== undefined ? { turnoverDecisionYear: x.turnoverDecisionYear } : {}),
    ...(x.otherUnitsTurnoverDecisionYear !== undefined ? { otherUnitsTurnoverDecisionYear: x.otherUnitsTurnoverDecisionYear } : {}),
    payers: x.payers ?? [],
    actingMunicipalities: x.actingMunicipalities ?? [],
    ...(x.otherRegionalTilbud !== undefined ? { otherRegionalTilbud: x.otherRegionalTilbud } : {}),
  };
}

/** The party ids a basis step names: its payers and handlekommuner, with the names it gives. */
export function partiesOf(u: SettlementBasisStepInput): { partyId: string; name?: string | undefined }[] {
  return [...(u.payers ?? []), ...(u.actingMunicipalities ?? []).map((a) => (typeof a === 'string' ? { partyId: a } : a))];
}

/** The basis as it stands after the step: the fields it gives replace the registered ones, with names. */
export function mergedBasis(basis: ClosureBasis, u: SettlementBasisStepInput, nameOf: (p: { partyId: string; name?: string | undefined }) => string): ClosureBasis {
  const acting = u.actingMunicipalities?.map((a) => (typeof a === 'string' ? { partyId: a } : a));
  return pickBasis({
    structure: u.structure ?? basis.structure,
    turnoverDecisionYear: u.turnoverDecisionYear ?? basis.turnoverDecisionYear,
    otherUnitsTurnoverDecisionYear: u.otherUnitsTurnoverDecisionYear ?? basis.otherUnitsTurnoverDecisionYear,
    payers: u.payers?.map((p) => ({ partyId: p.partyId, name: nameOf(p), turnoverYearMinus2: p.turnoverYearMinus2, turnoverYearMinus1: p.turnoverYearMinus1 })) ?? basis.payers,
    actingMunicipalities: acting?.map((a) => ({ partyId: a.partyId, name: nameOf(a) })) ?? basis.actingMunicipalities,
    otherRegionalTilbud: u.otherRegionalTilbud ?? basis.otherRegionalTilbud,
  });
}
