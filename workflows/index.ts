// Every procedure the worker runs: one folder each (contract, messages, workflow and, for a long one, its phase files), exported below.
import type { WorkflowContract } from '../contracts/kit/step';
import type { CapacityChangeWorkflow } from './capacityChange/contract';
import type { CentralAnnouncementWorkflow } from './centralAnnouncement/contract';
import type { ClosureWorkflow } from './closure/contract';
import type { OrientationWorkflow } from './orientation/contract';
import type { RefugeeQuotaWorkflow } from './refugeeQuota/contract';
import { orientation } from './orientation/workflow';
import { refugeeQuotaAgreement } from './refugeeQuota/workflow';
import { centralAnnouncement } from './centralAnnouncement/workflow';
import { closureOfTilbud } from './closure/workflow';
import { capacityChange } from './capacityChange/workflow';

export { orientation, refugeeQuotaAgreement, centralAnnouncement, closureOfTilbud, capacityChange };
export { emailResend } from './emailResend';

/** Each contract's workflow type is exported under its name, taking and returning what the contract says: the API
 * starts it by that name with arguments typed by the same contract, so a mismatch fails to compile. */
type Implements<C extends WorkflowContract> = { [K in C['type']]: (...args: C['args']) => Promise<C['result']> };
export type ProcedureWorkflows = OrientationWorkflow | RefugeeQuotaWorkflow | CentralAnnouncementWorkflow | ClosureWorkflow | CapacityChangeWorkflow;
void ({ orientation, refugeeQuotaAgreement, centralAnnouncement, closureOfTilbud, capacityChange } satisfies Implements<OrientationWorkflow> &
  Implements<RefugeeQuotaWorkflow> &
  Implements<CentralAnnouncementWorkflow> &
  Implements<ClosureWorkflow> &
  Implements<CapacityChangeWorkflow>);
