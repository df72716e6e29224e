// Every procedure the worker runs. A new procedure is a new file here, exported below.
export { orientation } from './orientation';
export { refugeeQuotaAgreement } from './refugeeQuota/workflow';
export { centralAnnouncement } from './centralAnnouncement';
export { closureOfTilbud } from './closure/workflow';
export { capacityChange } from './capacityChange';
export { emailResend } from './emailResend';
