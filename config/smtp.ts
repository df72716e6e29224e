import nodemailer from 'nodemailer';

/** The SMTP transport of the API (password-reset and login mail) and the worker (the outbox). Short timeouts: an
 * SMTP outage should fail the activity attempt quickly and leave the retry to Temporal. */
export function createTransport(smtpUrl: string) {
  return nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as object);
}
