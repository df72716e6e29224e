/**
 * The case page as a case officer reads it: the summary box says who the case waits for and what happens next,
 * the tabs are addresses of their own (no JavaScript needed), the e-mail list is paged, and nothing internal
 * (procedure ids, ISO dates, source references) shows.
 */
import { describe, expect, it } from 'vitest';
import { casePage, caseSituation, EMAILS_PER_PAGE } from '../../api/views/pages';
import type { CaseRow } from '../../api/caseService';
import type { CaseState, DeadlineEntry, JournalView } from '../../contracts/caseState';
import type { DeliveryRow } from '../../api/deliveryLog';

const deadline = (key: string, label: string, dueDate: string, wording: string): DeadlineEntry => ({
  key,
  label,
  spec: { wording, rule: 'generalShift', nominalDate: dueDate },
  plan: { deadline: { wording, rule: 'generalShift', interpretation: 'onOrBefore', nominalDate: dueDate, dueDate, dueAt: `${dueDate}T22:59:59.999Z` } as never, points: [] },
  status: 'open',
  fired: [],
  extensions: [],
  revision: 0,
});

function caseOf(over: Partial<CaseState> = {}): { summary: CaseRow; journal: JournalView[]; live: CaseState } {
  const next = { wording: 'senest den 1. marts 2027', rule: 'generalShift', dueDate: '2027-03-01', dueAt: '2027-03-01T22:59:59.999Z' };
  const live: CaseState = {
    caseId: 'KAP-2026-ABC',
    procedure: 'capacityChange',
    title: 'Kapacitetsændring: Bostedet Åen',
    stage: 'Afventer indberetning',
    status: 'open',
    nextDeadline: next,
    parties: [],
    journalCount: 2,
    deadlines: { report: deadline('report', 'Indberetning', '2027-03-01', next.wording) },
    collections: {},
    approvals: {},
    warnings: ['Betalingen løber til og med 31. marts 2027 (A-22).'],
    details: {},
    openSteps: [],
    stageHistory: [{ stage: 'Oprettet', at: '2026-12-03T09:00:00Z' }, { stage: 'Afventer indberetning', at: '2026-12-03T09:00:01Z' }],
    ...over,
  };
  const summary: CaseRow = {
    caseId: live.caseId,
    procedure: live.procedure,
    title: live.title,
    stage: live.stage,
    status: 'open',
    nextDeadline: next,
    parties: [],
    awaitingBody: null,
    attention: null,
    createdAt: '2026-12-03T09:00:00Z',
    updatedAt: '2026-12-03T09:00:01Z',
  };
  const journal: JournalView[] = [
    { at: '2026-12-03T09:00:00Z', description: 'Sag oprettet (002:1558-1575)', actor: 'Sanne', documents: [{ id: 'doc-1', name: 'Varsel.html', mediaType: 'text/html', sha256: 'a'.repeat(64), bytes: 8 }] },
    { at: '2026-12-03T09:00:01Z', description: 'Dataindsamling: sendt til 1 parter med frist 2026-12-28', actor: 'system', documents: [] },
  ];
  return { summary, journal, live };
}

const mail = (i: number): DeliveryRow => ({ id: String(i), step: 's', recipient: `k${i}@kommune.example`, subject: `Emne ${i}`, status: 'sent', attempts: 1, lastError: null, createdAt: '2026-12-03T09:00:00Z', sentAt: '2026-12-03T09:00:02Z', resendOf: null, requestedBy: null });

describe('the case page', () => {
  it('says what happens next when the case only waits for a date', () => {
    const c = caseOf();
    expect(caseSituation(c.summary, c.live).next).toBe('Sagen venter til mandag 1. marts 2027, hvor fristen for indberetning udløber.');
    const page = casePage(c, [], [], true, { procedureLabel: 'Kapacitetsændring (Bilag 4, tabel 4.1)' });
    expect(page).toContain('<dt>Procedure</dt><dd>Kapacitetsændring (Bilag 4, tabel 4.1)</dd>');
    expect(page).toContain('Sagen venter til mandag 1. marts 2027, hvor fristen for indberetning udløber.');
    expect(page).not.toContain('capacityChange</dd>');
  });

  it('names the parties it waits for, and the body whose treatment it waits for', () => {
    const pending = caseOf({
      collections: {
        answers: { key: 'answers', label: 'Kommunernes tilbagemelding', status: 'open', deadlineKey: 'report', parties: [
          { partyId: '461', name: 'Odense', state: 'pending', late: true, notices: [] },
          { partyId: '621', name: 'Kolding', state: 'answered', late: false, notices: [] },
        ] },
      },
    });
    const s = caseSituation(pending.summary, pending.live);
    expect(s.waitingFor).toBe('1 part: Odense');
    expect(s.next).toBe('Sagen venter på svar fra 1 part til mandag 1. marts 2027, hvor fristen for indberetning udløber. 1 part er allerede for sent på den. Der sendes påmindelser til dem, der ikke har svaret.');
    expect(casePage(pending)).toContain('<dt>Kommunernes tilbagemelding</dt><dd>1 af 2 har svaret</dd>');

    const sdf = caseOf({ approvals: { chain: { key: 'chain', label: 'Godkendelse af afrapporteringen', round: 1, steps: [{ body: 'SDF', status: 'current', plannedMeeting: '2027-01-14' }] } } });
    expect(caseSituation(sdf.summary, sdf.live).next).toMatch(/^Sagen venter på behandling i .+ på mødet torsdag 14\. januar 2027\./);
  });

  it('a closed case shows no deadline and waits for no one', () => {
    const c = caseOf({ status: 'withdrawn' });
    const page = casePage(c);
    expect(page).toContain('Ingen – sagen er trukket tilbage');
    expect(page).toContain('Sagen er trukket tilbage. Der sker ikke mere på sagen.');
    expect(page).not.toContain('mandag 1. marts 2027');
  });

  it('has the tabs as addresses of their own, the current one marked', () => {
    const c = caseOf();
    const page = casePage(c, [], [mail(1)], true, { tab: 'journal' });
    for (const t of ['forloeb', 'frister', 'svar', 'dokumenter', 'journal', 'emails']) expect(page).toContain(`href="?fane=${t}#faner"`);
    expect(page).toMatch(/href="\?fane=journal#faner" class="tab-button" aria-current="true"><span>Journal \(2\)<\/span>/);
    expect(page).toContain('Sag oprettet</td>');
    expect(page).toContain('sendt til 1 part med frist 28. december 2026');
    expect(page).not.toMatch(/\(002:|\(A-22\)|2026-12-28/);
    expect(casePage(c, [], [], true, { tab: 'dokumenter' })).toContain('>Varsel.html</a>');
    expect(casePage(c, [], [], true, { tab: 'frister' })).toContain('<strong>mandag 1. marts 2027</strong>');
  });

  it('pages the e-mails and counts them in Danish', () => {
    const c = caseOf();
    expect(casePage(c, [], [mail(1)], true, { tab: 'emails' })).toContain('1 e-mail på sagen, ældste først');
    const many = Array.from({ length: EMAILS_PER_PAGE + 5 }, (_, i) => mail(i));
    const first = casePage(c, [], many, true, { tab: 'emails' });
    expect(first).toContain(`${EMAILS_PER_PAGE + 5} e-mails på sagen, ældste først (side 1 af 2)`);
    expect(first).toContain('data-email-id="0"');
    expect(first).not.toContain(`data-email-id="${EMAILS_PER_PAGE}"`);
    expect(first).toContain('href="?fane=emails&#38;side=2#faner"');
    const second = casePage(c, [], many, true, { tab: 'emails', emailPage: 2 });
    expect(second).toContain(`data-email-id="${EMAILS_PER_PAGE}"`);
    expect(second).not.toContain('data-email-id="0"');
  });

  it('shows a warning only while it is true', () => {
    const warning = 'Intet møde i KKR Syddanmark før fristen 2027-03-01: Godkendelse af afrapporteringen kan ikke nå at blive behandlet';
    const chain = (status: 'waiting' | 'current' | 'approved') => ({ chain: { key: 'chain', label: 'Godkendelse af afrapporteringen', round: 1, steps: [{ body: 'KKR' as const, status }] } });
    const ahead = casePage(caseOf({ warnings: [warning], approvals: chain('current') }));
    expect(ahead).toContain('Intet møde i KKR Syddanmark før fristen 1. marts 2027');
    // After the body decided, and on a closed case, the warning is no longer true.
    expect(casePage(caseOf({ warnings: [warning], approvals: chain('approved') }))).not.toContain('Intet møde i');
    expect(casePage(caseOf({ warnings: [warning], approvals: chain('current'), status: 'completed' }))).not.toContain('Intet møde i');
    expect(casePage(caseOf({ status: 'withdrawn' }))).not.toContain('Advarsler');
  });

  it('says e-mails are waiting only when the mail server has not taken them', () => {
    const c = caseOf();
    const now = new Date().toISOString();
    const queued = { ...mail(1), status: 'pending' as const, sentAt: null, createdAt: now };
    expect(casePage(c, [], [queued])).not.toContain('venter på at blive sendt');
    const refused = { ...queued, attempts: 1, lastError: 'connect ECONNREFUSED' };
    expect(casePage(c, [], [refused, { ...refused, id: '2' }])).toContain('2 e-mails venter på at blive sendt');
    const old = { ...queued, createdAt: new Date(Date.now() - 10 * 60_000).toISOString() };
    expect(casePage(c, [], [old])).toContain('1 e-mail venter på at blive sendt');
  });
});
