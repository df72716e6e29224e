// Every procedure the worker runs: one folder each (contract, messages, workflow), exported below.
export { orientation } from './orientation/workflow';
export { refugeeQuotaAgreement } from './refugeeQuota/workflow';
export { centralAnnouncement } from './centralAnnouncement/workflow';
export { closureOfTilbud } from './closure/workflow';
export { capacityChange } from './capacityChange/workflow';
export { emailResend } from './emailResend';
