import type { createDirectoryActivities } from './directory';
import type { createEmailActivities, OutgoingEmail } from './email';
import { renderCaseEmail, type CaseEmailContent } from './emailTemplate';
import { signAnswerLink } from '../contracts/answerLinks';
import { deadlineIcs } from './ics';
import { describeDeadline, type Deadline } from '../domain/calendar/deadline';
import { formatDanishDate } from '../domain/calendar/format';
import type { PlainDate } from '../domain/calendar/plainDate';

export interface NotifyPartiesInput {
  caseId: string;
  procedure: string;
  /** Names the step in the outbox key: the same step never e-mails the same address twice. */
  step: string;
  /** Which notice of the step this is ('' for the first; e.g. 'reminder:2023-08-21'). */
  reminder?: string;
  partyIds: string[];
  subject: string;
  content: Omit<CaseEmailContent, 'greeting' | 'link'> & { link?: CaseEmailContent['link'] };
  /** The deadline the notice is about: shown with weekday and why it moved, and attached as .ics. */
  deadline?: Deadline & { revision?: number };
  /** When set, each party gets its own signed link to answer. */
  answerLink?: { collection: string; expiresAt: string };
}

export interface NotifySecretariatInput {
  caseId: string;
  step: string;
  subject: string;
  heading: string;
  paragraphs: string[];
}

export function createNotifyActivities(deps: {
  directory: ReturnType<typeof createDirectoryActivities>;
  email: ReturnType<typeof createEmailActivities>;
  publicUrl: string;
  linkSecret: string;
  secretariatEmail: string;
}) {
  const caseUrl = (caseId: string) => `${deps.publicUrl}/sager/${encodeURIComponent(caseId)}`;
  return {
    async notifyParties(input: NotifyPartiesInput): Promise<{ recipients: number; partiesWithoutContact: string[] }> {
      const recipients = await deps.directory.resolveRecipients({ partyIds: input.partyIds, procedure: input.procedure });
      const messages: OutgoingEmail[] = [];
      for (const r of recipients) {
        const facts = [...(input.content.facts ?? [])];
        const paragraphs = [...input.content.paragraphs];
        const attachments: OutgoingEmail['attachments'] = [];
        if (input.deadline) {
          facts.push({ label: 'Frist', value: `${formatDanishDate(input.deadline.dueDate as PlainDate)} (${input.deadline.wording})` });
          paragraphs.push(describeDeadline(input.deadline, 'email', Date.now()));
          attachments.push({
            filename: 'frist.ics',
            contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
            content: deadlineIcs({
              uid: `${input.caseId}-${input.step}-${r.partyId}@kkr-syddanmark`,
              sequence: input.deadline.revision ?? 0,
              dueDate: input.deadline.dueDate,
              summary: `Frist: ${input.subject}`,
              description: describeDeadline(input.deadline, 'email', Date.now()),
              url: caseUrl(input.caseId),
              stampIso: new Date().toISOString(),
            }),
          });
        }
        const link = input.answerLink
          ? {
              url: `${deps.publicUrl}/svar/${signAnswerLink({ caseId: input.caseId, collection: input.answerLink.collection, partyId: r.partyId, exp: input.answerLink.expiresAt }, deps.linkSecret)}`,
              label: `Svar for ${r.name}`,
            }
          : (input.content.link ?? { url: caseUrl(input.caseId), label: 'Se sagen' });
        const { text, html } = renderCaseEmail({ ...input.content, paragraphs, facts, link, greeting: `Til ${r.name}` });
        for (const address of r.emails) {
          messages.push({ caseId: input.caseId, step: input.step, reminder: input.reminder, recipient: address, subject: input.subject, text, html, attachments });
        }
      }
      await deps.email.sendEmails(messages);
      return { recipients: messages.length, partiesWithoutContact: recipients.filter((r) => r.emails.length === 0).map((r) => r.name) };
    },

    async notifySecretariat(input: NotifySecretariatInput): Promise<void> {
      const { text, html } = renderCaseEmail({
        greeting: 'Til sekretariatet',
        heading: input.heading,
        paragraphs: input.paragraphs,
        facts: [{ label: 'Sagsnummer', value: input.caseId }],
        link: { url: caseUrl(input.caseId), label: 'Se sagen' },
      });
      await deps.email.sendEmails([{ caseId: input.caseId, step: input.step, recipient: deps.secretariatEmail, subject: input.subject, text, html }]);
    },
  };
}
