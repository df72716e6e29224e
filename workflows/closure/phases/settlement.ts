/** Step 12 of §5.3: the settlement (efterregulering) and each payer's notice of its own amount. */
import { acts } from '../../blocks/proxies';
import { documentsByReference } from '../../blocks/documents';
import type { ClosureCaseFile } from '../caseFile';
import { settlementInputFor, type ClosureDetails, type ClosureOutcome } from '../contract';

/** Step 12: the settlement from the final account's figures, kept as documents in the journal; each payer and
 * the operator are told their own amount. A closure by an authority has no efterregulering. */
export async function settlement(x: ClosureCaseFile, decided: NonNullable<ClosureDetails['decision']>): Promise<ClosureOutcome> {
  const { c, details, ordinary, op } = x;
  const settlementInput = settlementInputFor(x.data(), details.finalAccount!);
  const context = { ...x.documentContext(settlementInput), closedByAuthority: !ordinary };
  const settled = documentsByReference() ? await acts.settleClosureKept(context) : await acts.settleClosure(context);
  details.settlement = settled.settlement;
  const s = settled.settlement;
  await c.publish(
    {},
    {
      description: ordinary
        ? `Efterregulering opgjort efter ${decided.ruleVersion}: til fordeling ${s.toDistribute} kr., selvrisiko ${s.ownRisk} kr., videreført til centrets øvrige tilbud ${s.toOtherUnits} kr., efterreguleres ${s.settled} kr.; samlet for driftsherre ${s.operatorTotal} kr. Fordeling: ${s.named.map((n) => `${n.name} ${n.amount} kr.`).join(', ')}`
        : `Opgørelse uden efterregulering (lukket af myndighed): resultat ${s.toDistribute} kr.; driftsherren bærer ${s.operatorTotal} kr.`,
      actor: 'system',
      documents: settled.documents,
    },
  );
  if (!ordinary) {
    await c.publish(
      { stage: 'Afsluttet – lukket af myndighed, ingen efterregulering', status: 'completed' },
      { description: 'Lukkeregnskaberne er behandlet; der sker ingen efterregulering, og sagen er afsluttet', actor: 'system' },
    );
    return 'closedByAuthority';
  }
  const notified = await acts.notifySettlement({ caseId: c.state.caseId, tilbudName: x.input.tilbudName, operator: op, ruleVersion: decided.ruleVersion, turnoverYears: decided.turnoverYears, settlementInput, settlement: s });
  await c.publish(
    { stage: 'Afsluttet – efterreguleret', status: 'completed', parties: x.partyList('efterregulering meddelt') },
    { description: `Hver betalingskommune og driftsherren har fået meddelelse om sit eget beløb (${notified.notified.map((id) => x.names()[id] ?? id).join(', ')})`, actor: 'system' },
  );
  return 'settled';
}
