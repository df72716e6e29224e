/** An e-mail as the procedures hand it to the outbox; the delivery log shows the same shape. */
export interface OutgoingEmail {
  caseId: string;
  step: string;
  recipient: string;
  reminder?: string;
  subject: string;
  text: string;
  html: string;
  /** Text documents as UTF-8; other media (PDF) as base64 with `encoding: 'base64'`. */
  attachments?: { filename: string; contentType: string; content: string; encoding?: 'base64' }[];
}
