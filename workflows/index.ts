// Every procedure the worker runs. A new procedure is a new file here, exported below.
export { orientation } from './orientation';
export { refugeeQuotaAgreement } from './refugeeQuota';
