import type { ProcedureDefinition } from './types';
import { orientationProcedure } from './orientation';
import { refugeeQuotaProcedure } from './refugeeQuota';
import { centralAnnouncementProcedure } from './centralAnnouncement';
import { capacityChangeProcedure } from './capacityChange';
import { closureProcedure } from './closure';

export const procedures: ProcedureDefinition[] = [orientationProcedure as unknown as ProcedureDefinition, refugeeQuotaProcedure as unknown as ProcedureDefinition, centralAnnouncementProcedure as unknown as ProcedureDefinition];
procedures.push(capacityChangeProcedure as unknown as ProcedureDefinition);
procedures.push(closureProcedure as unknown as ProcedureDefinition);

export function findProcedure(id: string): ProcedureDefinition | undefined {
  return procedures.find((p) => p.id === id);
}
