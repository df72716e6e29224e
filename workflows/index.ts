// Every procedure the worker runs: one folder each (contract, messages, workflow and, for a long one, its phase files), exported below.
import type { WorkflowContract } from '../contracts/kit/step';
import type { CapacityChangeWorkflow } from './capacityChange/contract';
import type { CentralAnnouncementWorkflow } from './centralAnnouncement/contract';
import type { ClosureWorkflow } from './closure/contract';
import type { OrientationWorkflow } from './orientation/contract';
import type { RefugeeQuotaWorkflow } from './refugeeQuota/contract';
import type * as Orientation from './orientation/workflow';
import type * as RefugeeQuota from './refugeeQuota/workflow';
import type * as CentralAnnouncement from './centralAnnouncement/workflow';
import type * as Closure from './closure/workflow';
import type * as CapacityChange from './capacityChange/workflow';

// Each procedure's code is evaluated only in the cases of that procedure. The SDK evaluates the bundle's modules
// again in every workflow's context (reuseV8Context shares only its own bootstrap), and webpack evaluates a
// module at its first require(): an index that imported all five procedures made every cached case carry all
// five, with their step schemas (docs/benchmarks.md, worker memory). The calls are the same, so histories replay.
export const orientation: typeof Orientation.orientation = (...args) => (require('./orientation/workflow') as typeof Orientation).orientation(...args);
export const refugeeQuotaAgreement: typeof RefugeeQuota.refugeeQuotaAgreement = (...args) =>
  (require('./refugeeQuota/workflow') as typeof RefugeeQuota).refugeeQuotaAgreement(...args);
export const centralAnnouncement: typeof CentralAnnouncement.centralAnnouncement = (...args) =>
  (require('./centralAnnouncement/workflow') as typeof CentralAnnouncement).centralAnnouncement(...args);
export const closureOfTilbud: typeof Closure.closureOfTilbud = (...args) => (require('./closure/workflow') as typeof Closure).closureOfTilbud(...args);
export const capacityChange: typeof CapacityChange.capacityChange = (...args) => (require('./capacityChange/workflow') as typeof CapacityChange).capacityChange(...args);
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
