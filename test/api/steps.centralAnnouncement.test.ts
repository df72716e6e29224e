/**
 * The central announcement's steps on the kit: the secretariat's draft and submission and the parties' answers
 * are defined in its contract, refusals name the field by its Danish label, and the case page's forms read back.
 */
import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../contracts/caseState';
import { describeErrors, readStep } from '../../contracts/kit/step';
import { procedures } from '../../api/procedures';
import { openStepsOf, readPostedStep, stepFields } from '../../api/steps';
import { recordDraftStep, submitReportStep } from '../../workflows/centralAnnouncement/contract';

/** What the step forms read of a case: its procedure, whether it is open, the steps due and its details. */
const state = (openSteps: string[]) => ({ procedure: 'centralAnnouncement', status: 'open', details: { drafts: [], decisions: [] }, openSteps }) as unknown as CaseState;

describe('central announcement steps', () => {
  it('are the draft and the submission, answered by contribution and ratification; refusals and forms speak Danish', () => {
    const p = procedures.find((x) => x.id === 'centralAnnouncement')!;
    expect(p.steps!.map((s) => s.name)).toEqual(['recordDraft', 'submitReport']);
    expect(p.answers!.map((s) => s.name)).toEqual(['collection', 'ratification']);

    // A draft that is too short is refused by its label, never by its path.
    const short = readStep(recordDraftStep, { text: '  For kort  ', actor: 'sekretariatet' });
    expect(short.ok ? '' : describeErrors(short.errors)).toBe('Udkastets tekst: Skal være mindst 20 tegn');

    // The case page offers the draft form with its hint, and reads the posted text back, trimmed.
    const drafting = state(['recordDraft', 'withdraw']);
    expect(openStepsOf(drafting).map((s) => s.name)).toEqual(['recordDraft', 'withdraw']);
    const form = stepFields(recordDraftStep, drafting).toString();
    expect(form).toContain('Udkastets tekst');
    expect(form).toContain('Parternes besvarelser vedlægges afrapporteringen automatisk.');
    expect(form).toContain('<textarea');
    expect(readPostedStep(recordDraftStep, drafting, { text: '  Udkast: Syddanmark koordinerer indsatsen.  ' })).toEqual({ ok: true, value: { text: 'Udkast: Syddanmark koordinerer indsatsen.' } });

    // The submission takes nothing but the click: its form is the intro, and an empty post is its input.
    const ready = state(['submitReport']);
    expect(stepFields(submitReportStep, ready).toString()).toContain('Afrapporteringen dannes af det godkendte udkast');
    expect(readPostedStep(submitReportStep, ready, {})).toEqual({ ok: true, value: {} });
  });
});
