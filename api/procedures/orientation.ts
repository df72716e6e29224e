import type { OrientationWorkflow } from '../../workflows/orientation/contract';
import { z } from 'zod';
import type { ProcedureDefinition } from './types';
import type { OrientationInput } from '../../workflows/orientation/contract';

export const orientationInputSchema = z.object({
  title: z.string().trim().min(5, 'Titlen skal være mindst 5 tegn').max(200, 'Titlen må højst være 200 tegn'),
  message: z.string().trim().min(10, 'Orienteringen skal være mindst 10 tegn').max(10_000, 'Orienteringen må højst være 10.000 tegn'),
  partyIds: z.array(z.string().regex(/^[a-z0-9-]+$/, 'Ukendt part')).min(1, 'Vælg mindst én modtager'),
});

export const orientationProcedure: ProcedureDefinition<typeof orientationInputSchema, OrientationWorkflow> = {
  id: 'orientation',
  steps: [],
  casePrefix: 'ORI',
  label: 'Orientering om væsentlige ændringer',
  description:
    'Orientering af kommunerne i Syddanmark og regionen om tilbud eller ændringer med væsentlig indflydelse på andres tilbud (Rammeaftalens bilag 4, tabel 4.1).',
  workflowType: 'orientation',
  inputSchema: orientationInputSchema,
  caseTitle: (input) => input.title,
  async toWorkflowArgs(input, ctx) {
    const { rows } = await ctx.pool.query<{ party_id: string; name: string }>(
      'SELECT party_id, name FROM directory_party WHERE party_id = ANY($1) ORDER BY kommunenr NULLS LAST',
      [input.partyIds],
    );
    if (rows.length !== new Set(input.partyIds).size) throw new UnknownPartyError();
    const args: OrientationInput = {
      title: input.title,
      message: input.message,
      parties: rows.map((r) => ({ partyId: r.party_id, name: r.name })),
      startedBy: ctx.actor,
      caseUrl: `${ctx.publicUrl}/sager/${encodeURIComponent(ctx.caseId)}`,
    };
    return [args];
  },
};

export class UnknownPartyError extends Error {
  readonly field = 'partyIds';
  constructor() {
    super('En eller flere modtagere findes ikke i adressebogen');
  }
}
