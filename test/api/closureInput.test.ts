/** The closure's start form: Danish messages that name the field, and its JSON Schema (the API's OpenAPI). */
import { describe, expect, it } from 'vitest';
import { closureInputSchema } from '../../api/procedures/closure';
import { toJsonSchema } from '../../api/openapi';
import { FU } from '../support/closureExamples';

describe('the closure start form', () => {
  it('the start form names the field in each Danish message and can be described as JSON Schema', () => {
    const r = closureInputSchema.safeParse({
      tilbudName: 'Bostedet Åbrinken',
      operatorPartyId: '461',
      operatorType: 'municipal',
      classification: 'closure',
      reason: 'Efterspørgslen er faldet',
      structure: 'economicUnit',
      turnoverDecisionYear: '20.000.000',
      payers: [{ partyId: '479', turnoverYearMinus2: '1', turnoverYearMinus1: 2 }],
      fuRecipients: [],
    });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('turnoverDecisionYear: Omsætningen i beslutningsåret: Skal være et beløb i kroner, fx 20000000 eller 20000000.50');
    expect(messages).toContain('payers.0.turnoverYearMinus1: Betalingskommunens omsætning året før beslutningsåret skal være et beløb i kroner skrevet som tekst, fx "20000000"');
    expect(messages).toContain('fuRecipients: Angiv mindst én modtager for Forretningsudvalget');
    const unit = closureInputSchema.safeParse({
      tilbudName: 'Bostedet Åbrinken',
      operatorPartyId: '461',
      operatorType: 'municipal',
      classification: 'closure',
      reason: 'Efterspørgslen er faldet',
      structure: 'economicUnit',
      turnoverDecisionYear: '20000000',
      payers: [{ partyId: '479', turnoverYearMinus2: '1', turnoverYearMinus1: '2' }],
      fuRecipients: [FU],
    });
    expect(unit.error!.issues.map((i) => i.path.join('.'))).toEqual(['otherUnitsTurnoverDecisionYear']);
    expect(JSON.stringify(toJsonSchema(closureInputSchema))).toContain('"classification"');
  });
});
