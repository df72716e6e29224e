import type { ProcedureDefinition } from './types';
import { orientationProcedure } from './orientation';

export const procedures: ProcedureDefinition[] = [orientationProcedure as unknown as ProcedureDefinition];

export function findProcedure(id: string): ProcedureDefinition | undefined {
  return procedures.find((p) => p.id === id);
}
