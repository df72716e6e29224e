/** Before the procedure of §5.3: the case is opened, a relocation or merger recorded, the case's gaps shown. */
import type { ClosureCaseFile } from '../caseFile';
import { CLASSIFICATION_LABELS } from '../contract';
import { basisProblem } from '../settlementBasis';

/** The case is opened; a relocation or merger is recorded and completed, it is not a closure (002:1699). */
export async function opened(x: ClosureCaseFile): Promise<void> {
  const { input } = x;
  await x.c.publish(
    { parties: x.partyList('registreret') },
    {
      description:
        `Sag oprettet (${CLASSIFICATION_LABELS[input.classification]}): ${input.tilbudName}; driftsherre ${x.op.name} (${x.op.type === 'municipal' ? 'kommunal' : 'regional'}, ` +
        `${input.structure === 'standalone' ? 'selvstændigt tilbud' : 'del af en økonomisk enhed'}). Begrundelse: ${input.reason}` +
        (input.standaloneConditions ? ' Bekræftet for et selvstændigt tilbud: selvstændigt budget, egne takster og en dokumenteret fordelingsnøgle for fællesudgifterne.' : '') +
        (input.parentCaseId ? ` Startet fra sag ${input.parentCaseId}.` : ''),
      actor: input.startedBy,
    },
  );
}

export async function recordedAsNotAClosure(x: ClosureCaseFile): Promise<void> {
  const cls = x.input.classification;
  await x.c.publish(
    { stage: cls === 'relocation' ? 'Flytning – ikke en lukning' : 'Sammenlægning – ikke en lukning', status: 'completed' },
    {
      description: `${CLASSIFICATION_LABELS[cls]} betragtes ikke som en lukning; reglerne om lukkeregnskab og efterregulering i Rammeaftalens bilag 5 anvendes ikke (002:1699). Sagen er registreret og afsluttet.`,
      actor: 'system',
    },
  );
}

/** What the case lacks shows as warnings from the start: an incomplete basis, no recipients for FU. */
export async function warnOfGaps(x: ClosureCaseFile): Promise<void> {
  const problem = basisProblem(x.data());
  if (problem) await x.warn(`Grundlaget for efterreguleringen er ufuldstændigt (${problem}); det skal registreres, før lukkeregnskaberne kan modtages`);
  if (!x.input.fuRecipients.length) await x.warn('Der er ingen modtagere for Forretningsudvalget; orienteringerne af FU sendes ikke');
}
