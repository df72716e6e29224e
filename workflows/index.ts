// Every procedure the worker runs. A new procedure is a new file here, exported below.
export { orientation } from './orientation/workflow';
export { refugeeQuotaAgreement } from './refugeeQuota/workflow';
export { centralAnnouncement } from './centralAnnouncement/workflow';
export { closureOfTilbud } from './closure';
export { capacityChange } from './capacityChange/workflow';
export { emailResend } from './emailResend';
