/** The closure walks' parties and Beregningseksempel 1 (Rammeaftale 2023-2024, Bilag 5), shared by the calendar walk
 * (test/procedures/closure.calendar.test.ts) and the workflow tests of the other routes (test/workflows/closure.test.ts). */
import type { ClosureInput } from '../../workflows/closure/contract';

export const FU = 'fu-sdf@kkr-test.example';
export const SECRETARIAT = 'sekretariat@kkr-test.example';
export const ODENSE = 'sagsbehandler@odense.kommune.example';
export const SVENDBORG = 'sagsbehandler@svendborg.kommune.example';
export const KOLDING = 'sagsbehandler@kolding.kommune.example';
export const MIDDELFART = 'sagsbehandler@middelfart.kommune.example';

/** Beregningseksempel 1: stand-alone, turnover 20.000.000; the operator (Odense) has 33 % of the pooled turnover. */
export function example1(): ClosureInput {
  return {
    tilbudName: 'Bostedet Åbrinken',
    operator: { partyId: '461', name: 'Odense', type: 'municipal' },
    classification: 'closure',
    reason: 'Efterspørgslen er faldet, og tilbuddet kan ikke drives økonomisk forsvarligt',
    structure: 'standalone',
    turnoverDecisionYear: '20000000',
    payers: [
      { partyId: '461', name: 'Odense', turnoverYearMinus2: '1650000', turnoverYearMinus1: '1650000' },
      { partyId: '479', name: 'Svendborg', turnoverYearMinus2: '2000000', turnoverYearMinus1: '2000000' },
      { partyId: '621', name: 'Kolding', turnoverYearMinus2: '1350000', turnoverYearMinus1: '1350000' },
    ],
    actingMunicipalities: [
      { partyId: '479', name: 'Svendborg' },
      { partyId: '621', name: 'Kolding' },
    ],
    fuRecipients: [FU],
    startedBy: 'sekretariatet (test)',
  };
}
