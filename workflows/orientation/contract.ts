/** The orientation procedure's contract (orientering af kommunerne): its start input. */
import type { WorkflowContract } from '../../contracts/kit/step';
export interface OrientationInput {
  title: string;
  message: string;
  parties: { partyId: string; name: string }[];
  /** The authenticated user who started the case, as the API saw it. */
  startedBy: string;
  caseUrl: string;
}

/** The workflow type: started as "orientation" with these arguments, returning this result. */
export type OrientationWorkflow = WorkflowContract<'orientation', [OrientationInput], { recipients: number }>;
