import type { createDirectoryActivities } from './directory';
import type { createEmailActivities } from './email';
import { renderCaseEmail, type CaseEmailContent } from './emailTemplate';

export interface NotifyPartiesInput {
  caseId: string;
  procedure: string;
  /** Names the step in the outbox key: the same step never e-mails the same address twice. */
  step: string;
  partyIds: string[];
  subject: string;
  content: Omit<CaseEmailContent, 'greeting'>;
}

export function createNotifyActivities(deps: {
  directory: ReturnType<typeof createDirectoryActivities>;
  email: ReturnType<typeof createEmailActivities>;
}) {
  return {
    async notifyParties(input: NotifyPartiesInput): Promise<{ recipients: number; partiesWithoutContact: string[] }> {
      const recipients = await deps.directory.resolveRecipients({ partyIds: input.partyIds, procedure: input.procedure });
      const messages = recipients.flatMap((r) =>
        r.emails.map((address) => {
          const { text, html } = renderCaseEmail({ ...input.content, greeting: `Til ${r.name}` });
          return { caseId: input.caseId, step: input.step, recipient: address, subject: input.subject, text, html };
        }),
      );
      await deps.email.sendEmails(messages);
      return {
        recipients: messages.length,
        partiesWithoutContact: recipients.filter((r) => r.emails.length === 0).map((r) => r.name),
      };
    },
  };
}
