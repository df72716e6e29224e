/**
 * The steps every procedure has through its blocks: extending a deadline, recording a body's decision,
 * withdrawing the case, and the party's free-text answer for a round without a form of its own.
 */
import { z } from 'zod';
import { BODY_NAMES, bodyName, type Body } from '../../domain/bodies';
import type { ApprovalView, DeadlineEntry } from '../caseState';
import { defineStep, isoDate, text } from './step';

export const extendDeadlineStep = defineStep<DeadlineEntry>()({
  name: 'extendDeadline',
  label: 'Forlæng en frist (fristforlængelse)',
  takenBy: 'secretariat',
  input: z.object({
    deadlineKey: z.string().min(1, 'Vælg fristen'),
    newDate: isoDate(),
    reason: text(5, 5000),
  }),
  form: {
    labels: { deadlineKey: 'Frist', newDate: 'Ny frist', reason: 'Begrundelse' },
    widgets: { newDate: 'date', reason: 'textarea' },
    hints: { reason: 'Begrundelsen journaliseres og vises ved fristen (mindst 5 tegn).' },
  },
  notDue: 'Sagen har ingen åben frist, der kan forlænges',
  example: { deadlineKey: 'positions', newDate: '2027-09-15', reason: 'KKR’s møde er flyttet' },
  fromCase: (s) => ({
    choices: { deadlineKey: Object.values(s.deadlines).filter((d) => d.status === 'open').map((d) => ({ value: d.key, label: `${d.label} (${d.plan.deadline.dueDate})` })) },
  }),
});

const BODIES = Object.keys(BODY_NAMES) as [Body, ...Body[]];

export const recordDecisionStep = defineStep<ApprovalView>()({
  name: 'recordDecision',
  label: 'Registrér beslutning i et organ',
  takenBy: 'secretariat',
  input: z.object({
    chain: z.string().min(1, 'Vælg behandlingen'),
    /** Omitted: the body the chain awaits now. Given: it must be that body. */
    body: z.enum(BODIES, { error: 'Ukendt organ' }).optional(),
    outcome: z.enum(['approved', 'amend', 'rejected'], { error: 'Vælg udfaldet' }),
    meetingDate: isoDate(),
    note: z.string().trim().max(5000, 'Må højst være 5.000 tegn').optional(),
  }),
  form: {
    labels: { chain: 'Behandling', body: 'Organ', outcome: 'Udfald', meetingDate: 'Mødedato', note: 'Bemærkning' },
    enumLabels: { outcome: { approved: 'Godkendt / anbefalet', amend: 'Sendt tilbage til ændring', rejected: 'Afvist' } },
    widgets: { meetingDate: 'date', note: 'textarea' },
    omit: ['body'],
  },
  notDue: 'Sagen afventer ikke en politisk eller administrativ behandling',
  example: { chain: 'k22', outcome: 'approved', meetingDate: '2027-06-10' },
  fromCase: (s) => ({
    choices: {
      chain: Object.values(s.approvals).flatMap((a) =>
        a.steps.filter((x) => x.status === 'current').map((x) => ({ value: a.key, label: `${a.label}: ${bodyName(x.body)}${x.plannedMeeting ? ` (planlagt ${x.plannedMeeting})` : ''}` })),
      ),
    },
  }),
});

export const withdrawStep = defineStep<{ withdrawn: true }>()({
  name: 'withdraw',
  label: 'Træk sagen tilbage',
  takenBy: 'secretariat',
  input: z.object({ reason: text(5, 5000) }),
  form: { labels: { reason: 'Begrundelse' }, widgets: { reason: 'textarea' }, hints: { reason: 'Hvorfor sagen trækkes tilbage (mindst 5 tegn); det journaliseres.' } },
  notDue: 'Sagen er ikke åben og kan ikke trækkes tilbage',
  example: { reason: 'Sagen er oprettet ved en fejl' },
});

/** The answer to a round without a form of its own: a text. */
export const freeTextAnswer = defineStep()({
  name: 'freeText',
  label: 'Svar',
  takenBy: 'party',
  input: z.object({ text: text(2, 20_000) }),
  form: { labels: { text: 'Svar' }, widgets: { text: 'textarea' } },
  notDue: 'Der tages ikke imod svar nu',
  example: { text: 'Kommunen har ingen bemærkninger.' },
});

/** A council's treatment of what the case sent it (an agreement, a report): approved or not, on which meeting.
 * `what` names the matter in the question ("aftalen", "afrapporteringen"). A meeting date in the future is the
 * workflow's check (its today is the case's today). */
export const councilRatificationAnswer = (what: string) =>
  defineStep()({
    name: 'ratification',
    label: 'Kommunalbestyrelsens behandling',
    takenBy: 'party',
    input: z.object({
      ratified: z.boolean({ error: `Angiv om kommunalbestyrelsen har godkendt ${what}` }),
      councilMeetingDate: isoDate(),
      note: z.string().trim().max(2000, 'Må højst være 2.000 tegn').optional(),
    }),
    form: {
      labels: { ratified: `Har kommunalbestyrelsen godkendt ${what}?`, councilMeetingDate: 'Dato for kommunalbestyrelsens møde', note: 'Bemærkning' },
      widgets: { ratified: 'yesno', councilMeetingDate: 'date', note: 'textarea' },
    },
    notDue: 'Der tages ikke imod kommunalbestyrelsernes behandling nu',
    example: { ratified: true, councilMeetingDate: '2027-03-01' },
  });

export const COMMON_STEPS = [extendDeadlineStep, recordDecisionStep, withdrawStep] as const;
