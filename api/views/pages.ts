import { html, type Html } from './html';
import { layout } from './layout';
import { alert, checkbox, describedBy, errorSummaryBox, fieldsetGroup, formGroup, icon, navigationTabs, table } from './components';
import { danishDate, danishDateShort, danishDateTime, daysLeft, daysLeftText, plural, readable, statusLabel } from './format';
import type { CaseRow } from '../caseService';
import type { CaseState, DeadlineEntry, JournalView, PartyAnswer } from '../../contracts/caseState';
import type { ProcedureDefinition } from '../procedures/types';
import type { FieldError } from '../validation';
import type { StepFieldError } from '../../contracts/kit/step';
import { hintsFor } from '../steps';
import { schemaErrorSummary, type FormValues } from './schemaForm';
import type { ActionForm } from '../actionForms';
import type { DeliveryRow } from '../deliveryLog';
import { bodyName } from '../../domain/bodies';

export function chooseProcedurePage(procs: ProcedureDefinition[]): string {
  return layout({
    title: 'Start en sag',
    body: html`<h1>Start en sag</h1><ul>${procs.map(
      (p) => html`<li><a href="/sager/ny/${p.id}">${p.label}</a><br><span class="muted">${p.description}</span></li>`,
    )}</ul>`,
  });
}

function errorFor(errors: FieldError[], field: string): FieldError | undefined {
  return errors.find((e) => e.field === field || e.field.startsWith(field + '.'));
}

export function errorSummary(errors: FieldError[], labels: Record<string, string>, heading = 'Sagen blev ikke oprettet. Ret venligst:'): Html {
  return errorSummaryBox(heading, errors.map((e) => ({ href: `#${e.field.split('.')[0]}`, text: `${labels[e.field.split('.')[0]!] ?? e.field}: ${e.reason}` })));
}

export function textField(opts: { name: string; label: string; value: string; errors: FieldError[]; multiline?: boolean; hint?: string }): Html {
  const err = errorFor(opts.errors, opts.name);
  const aria = describedBy(opts.name, !!opts.hint, !!err);
  return formGroup({
    id: opts.name,
    label: opts.label,
    hint: opts.hint,
    errors: err ? [`${opts.label}: ${err.reason}`] : [],
    control: opts.multiline
      ? html`<textarea class="form-input" id="${opts.name}" name="${opts.name}" rows="6"${aria}>${opts.value}</textarea>`
      : html`<input type="text" class="form-input" id="${opts.name}" name="${opts.name}" value="${opts.value}"${aria}>`,
  });
}

export function orientationFormPage(opts: {
  requestId: string;
  values: { title?: string; message?: string; partyIds?: string[] };
  parties: { partyId: string; name: string }[];
  errors: FieldError[];
}): string {
  const labels = { title: 'Titel', message: 'Orientering', partyIds: 'Modtagere' };
  const chosen = new Set(opts.values.partyIds ?? opts.parties.map((p) => p.partyId));
  const partyErr = errorFor(opts.errors, 'partyIds');
  return layout({
    title: 'Ny orientering',
    body: html`<h1>Orientering om væsentlige ændringer</h1>
<p class="font-lead">Rammeaftalens bilag 4, tabel 4.1: kommunerne i Syddanmark og regionen orienteres hurtigst muligt.</p>
${errorSummary(opts.errors, labels)}
<form method="post" action="/sager/ny/orientation" novalidate>
<input type="hidden" name="requestId" value="${opts.requestId}">
${textField({ name: 'title', label: labels.title, value: opts.values.title ?? '', errors: opts.errors })}
${textField({ name: 'message', label: labels.message, value: opts.values.message ?? '', errors: opts.errors, multiline: true, hint: 'Teksten sendes i e-mailen til modtagerne. Skriv ikke CPR-numre eller borgeres navne.' })}
${fieldsetGroup({
  id: 'partyIds',
  legend: labels.partyIds,
  errors: partyErr ? [`${labels.partyIds}: ${partyErr.reason}`] : [],
  content: html`<div class="checks">${opts.parties.map((p) => checkbox({ id: `party-${p.partyId}`, name: 'partyIds', value: p.partyId, label: p.name, checked: chosen.has(p.partyId) }))}</div>`,
})}
<div class="form-actions"><button type="submit" class="button button-primary">Opret sag og send orientering</button></div>
</form>`,
  });
}

const RULE_LABELS: Record<string, string> = {
  generalShift: 'Den almindelige fristregel (flyttes til næste hverdag)',
  noShift: 'Fastsat dato (flyttes ikke)',
  backwardShift: 'Regnes bagud (flyttes til forrige hverdag)',
};
const DEADLINE_STATUS: Record<string, string> = { open: 'Åben', met: 'Overholdt', expired: 'Udløbet', cancelled: 'Bortfaldet' };
const STEP_STATUS: Record<string, string> = { waiting: 'Venter', current: 'Afventer behandling', approved: 'Godkendt', amend: 'Sendt tilbage', rejected: 'Afvist' };
const DELIVERY_STATUS: Record<DeliveryRow['status'], string> = { pending: 'Venter', sending: 'Sendes', sent: 'Sendt', failed: 'Forsøges igen', rejected: 'Afvist af modtagerens mailserver' };

/** The tabs of the case page; each is its own address (`?fane=`), so they work without JavaScript. */
export const CASE_TABS = [
  { key: 'forloeb', text: 'Forløb' },
  { key: 'frister', text: 'Frister' },
  { key: 'svar', text: 'Svar' },
  { key: 'dokumenter', text: 'Dokumenter' },
  { key: 'journal', text: 'Journal' },
  { key: 'emails', text: 'E-mails' },
] as const;
export type CaseTab = (typeof CASE_TABS)[number]['key'];
export const EMAILS_PER_PAGE = 20;

/** "Kommunernes tilbagemelding" → "kommunernes tilbagemelding" inside a sentence; names ("KKR …") keep their capitals. */
const inSentence = (label: string) => (/^\p{Lu}\p{Ll}/u.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label);

const namesList = (names: string[], max = 5) => (names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} og ${names.length - max} flere`);

/** The open deadline the case's next deadline is, for its label ("fristen for indberetning"). */
function nextDeadlineEntry(live: CaseState | null, next: CaseRow['nextDeadline']): DeadlineEntry | undefined {
  if (!live || !next) return undefined;
  const open = Object.values(live.deadlines).filter((d) => d.status === 'open');
  return open.find((d) => d.plan.deadline.dueDate === next.dueDate && d.plan.deadline.wording === next.wording) ?? open.find((d) => d.plan.deadline.dueDate === next.dueDate);
}

export interface CaseSituation {
  /** Who the case waits for now, in a few words; undefined when it waits for no one. */
  waitingFor?: string;
  /** What happens next, as a sentence. */
  next: string;
}

/**
 * Who the case waits for and what happens next, from the live state: a body's treatment, answers outstanding,
 * the secretariat's own steps, or only a date ("Sagen venter til mandag 1. marts 2027, hvor fristen for
 * indberetning udløber").
 */
export function caseSituation(s: Pick<CaseRow, 'status' | 'nextDeadline' | 'attention'>, live: CaseState | null, actions: readonly { action: string; label: string }[] = []): CaseSituation {
  const status = live?.status ?? s.status;
  if (status === 'completed') return { next: 'Sagen er afsluttet. Der sker ikke mere på sagen.' };
  if (status === 'withdrawn') return { next: 'Sagen er trukket tilbage. Der sker ikke mere på sagen.' };
  if (status === 'failed') return { next: 'Sagen er stoppet med en fejl. Kontakt driften.' };
  const attention = live?.attention ?? s.attention;
  const next = s.nextDeadline;
  const entry = nextDeadlineEntry(live, next);
  const until = next ? `${danishDate(next.dueDate)}${entry ? `, hvor fristen for ${inSentence(entry.label)} udløber` : ''}` : '';
  const approval = live ? Object.values(live.approvals).flatMap((a) => a.steps.filter((st) => st.status === 'current').map((st) => ({ a, st })))[0] : undefined;
  const pending = live
    ? Object.values(live.collections)
        .filter((c) => c.status === 'open')
        .map((c) => ({ c, missing: c.parties.filter((p) => p.state === 'pending') }))
        .filter((x) => x.missing.length)
    : [];
  const secretariatSteps = actions.filter((a) => !['extendDeadline', 'withdraw', 'recordDecision'].includes(a.action));
  if (attention) return { waitingFor: 'Sekretariatet', next: `Sagen kræver handling fra sekretariatet: ${readable(attention.reason)}` };
  if (approval) {
    const body = bodyName(approval.st.body);
    const meeting = approval.st.plannedMeeting ? ` på mødet ${danishDate(approval.st.plannedMeeting)}` : '';
    return { waitingFor: `${body} (${inSentence(approval.a.label)})`, next: `Sagen venter på behandling i ${body}${meeting}. Sekretariatet registrerer beslutningen, når den foreligger.` };
  }
  if (pending.length) {
    const all = pending.flatMap((x) => x.missing);
    const names = [...new Set(all.map((p) => p.name))];
    const late = all.filter((p) => p.late).length;
    return {
      waitingFor: `${plural(names.length, 'part', 'parter')}: ${namesList(names)}`,
      next: `Sagen venter på svar fra ${plural(names.length, 'part', 'parter')}${until ? ` til ${until}` : ''}.${late ? ` ${plural(late, 'part er', 'parter er')} allerede for sent på den.` : ''} Der sendes påmindelser til dem, der ikke har svaret.`,
    };
  }
  if (secretariatSteps.length) {
    return { waitingFor: 'Sekretariatet', next: `Sekretariatet skal nu: ${secretariatSteps.map((a) => inSentence(a.label)).join(', ')}${until ? `. Næste frist er ${until}` : ''}.` };
  }
  if (next) return { next: `Sagen venter til ${until}.` };
  return { next: 'Sagen venter ikke på noget lige nu.' };
}

/**
 * The case's warnings that are still true: none on a closed case, and "Intet møde i … før fristen" only while that
 * body's treatment is still ahead (the workflow keeps every warning it ever raised in its state).
 */
export function currentWarnings(live: CaseState): string[] {
  if (live.status !== 'open') return [];
  return live.warnings.filter((w) => {
    const m = /^Intet møde i (.+?) før fristen [^:]+: (.+) kan ikke nå at blive behandlet$/.exec(w);
    if (!m) return true;
    return Object.values(live.approvals).some((a) => a.label === m[2] && a.steps.some((st) => bodyName(st.body) === m[1] && (st.status === 'current' || st.status === 'waiting')));
  });
}

/** An e-mail is late only once an attempt failed or it has waited a while: a message queued a second ago is not. */
export const DELIVERY_GRACE_MS = 2 * 60_000;
function deliveryDelayed(r: DeliveryRow, now: number): boolean {
  if (r.status === 'failed') return true;
  if (r.status !== 'pending' && r.status !== 'sending') return false;
  return !!r.lastError || now - Date.parse(r.createdAt) > DELIVERY_GRACE_MS;
}

function deadlinesPanel(live: CaseState | null): Html {
  const ds = live ? Object.values(live.deadlines) : [];
  if (!ds.length) return html`<p>Sagen har ingen frister.</p>`;
  return table({
    caption: 'Sagens frister',
    head: ['Frist', 'Ordlyd og regel', 'Dato', 'Status'],
    rows: html`${ds.map((d) => {
      const v = d.plan.deadline;
      return html`<tr data-deadline="${d.key}"><td>${d.label}</td><td>"${v.wording}"<br><span class="muted">${RULE_LABELS[v.rule] ?? v.rule}</span></td>
<td><strong>${danishDate(v.dueDate)}</strong>${d.status === 'open' ? html`<br><span class="${daysLeft(v.dueDate) < 0 ? 'overdue' : 'muted'}">${daysLeftText(daysLeft(v.dueDate))}</span>` : ''}${v.reason ? html`<br><span class="deadline-shift" role="note">${icon('warning')} ${readable(v.reason)}</span>` : ''}
${d.extensions.map((e) => html`<br><span class="muted">Forlænget fra ${danishDateShort(e.oldDueDate)} til ${danishDateShort(e.newDueDate)} af ${e.actor}: ${e.reason}</span>`)}</td>
<td class="${d.status === 'expired' ? 'overdue' : ''}">${DEADLINE_STATUS[d.status] ?? d.status}</td></tr>`;
    })}`,
  });
}

function partyStatus(p: PartyAnswer): Html {
  if (p.state === 'answered') return html`Svaret${p.answeredAt ? ` ${danishDateTime(p.answeredAt)}` : ''}${p.late ? ' (efter fristen)' : ''}`;
  return p.late ? html`<span class="overdue">Mangler svar – for sent</span>` : html`Afventer svar`;
}

function answersPanel(live: CaseState | null, parties: CaseRow['parties']): Html {
  const cs = live ? Object.values(live.collections) : [];
  if (!cs.length) {
    return parties.length
      ? table({ caption: 'Sagens parter', head: ['Part', 'Status'], rows: html`${parties.map((p) => html`<tr><td>${p.name}</td><td>${p.state}</td></tr>`)}` })
      : html`<p>Sagen har ingen parter.</p>`;
  }
  // More than one round: one matrix of parties × rounds first, so a late party stands out at once.
  const everyone = [...new Map(cs.flatMap((c) => c.parties.map((p) => [p.partyId, p.name] as const))).entries()];
  const matrix = cs.length > 1
    ? table({
        caption: 'Svar pr. part og runde',
        classes: 'table--compact matrix',
        head: ['Part', ...cs.map((c) => c.label)],
        rows: html`${everyone.map(([id, name]) => html`<tr><th scope="row">${name}</th>${cs.map((c) => {
          const p = c.parties.find((x) => x.partyId === id);
          return html`<td>${p ? partyStatus(p) : html`<span class="muted">–</span>`}</td>`;
        })}</tr>`)}`,
      })
    : '';
  return html`${matrix}${cs.map(
    (c) => html`<h2>${c.label}</h2>
<p>${c.parties.filter((p) => p.state === 'answered').length} af ${c.parties.length} har svaret.${c.status === 'closed' ? ' Runden er ikke startet endnu.' : c.status === 'finished' ? ' Runden er afsluttet.' : ''}</p>
${table({
  caption: `Svar i runden "${c.label}"`,
  head: ['Part', 'Status', 'Svar', 'Påmindelser'],
  numeric: [3],
  rows: html`${c.parties.map((p) => html`<tr data-party="${p.partyId}"><td>${p.name}</td><td>${partyStatus(p)}</td><td>${p.answerText ?? ''}</td><td class="num">${Math.max(0, p.notices.length - 1)}</td></tr>`)}`,
})}`,
  )}`;
}

function approvalsSection(live: CaseState): Html {
  const as = Object.values(live.approvals);
  if (!as.length) return html``;
  return html`<h2>Politisk og administrativ behandling</h2>${as.map(
    (a) => html`<h3>${a.label}${a.round > 1 ? ` (runde ${a.round})` : ''}</h3><ol>${a.steps.map(
      (st) => html`<li>${bodyName(st.body)}: ${STEP_STATUS[st.status] ?? st.status}${st.plannedMeeting && st.status === 'current' ? `, planlagt møde ${danishDate(st.plannedMeeting)}` : ''}${st.meetingDate ? `, møde ${danishDate(st.meetingDate)}` : ''}${st.note ? ` – ${readable(st.note)}` : ''}</li>`,
    )}</ol>`,
  )}`;
}

function journalRows(caseId: string, entries: { j: JournalView; i: number }[]): Html {
  return html`${entries.map(({ j, i }) => html`<tr><td>${danishDateTime(j.at)}</td><td>${readable(j.description)}</td><td>${j.actor}</td>
<td>${j.documents.map((d, k) => html`<a href="/sager/${encodeURIComponent(caseId)}/dokumenter/${i}/${k}">${d.name}</a> `)}</td></tr>`)}`;
}

function timelinePanel(caseId: string, live: CaseState | null, journal: JournalView[]): Html {
  const latest = journal.map((j, i) => ({ j, i })).slice(-5).reverse();
  return html`${live?.stageHistory?.length ? html`<h2>Sagens faser</h2><ol class="timeline">${live.stageHistory.map(
    (x, i, all) => html`<li${i === all.length - 1 ? html` aria-current="step"` : ''}><span class="muted">${danishDateTime(x.at)}</span> ${readable(x.stage)}</li>`,
  )}</ol>` : ''}
${live ? approvalsSection(live) : ''}
${latest.length ? html`<h2>Seneste hændelser</h2>
${table({ caption: 'De nyeste hændelser i journalen, nyeste først', head: ['Tidspunkt', 'Beskrivelse', 'Aktør', 'Dokumenter'], rows: journalRows(caseId, latest) })}
<p class="d-print-none"><a href="?fane=journal#faner">Se hele journalen (${plural(journal.length, 'post', 'poster')})</a></p>` : ''}`;
}

function journalPanel(caseId: string, journal: JournalView[]): Html {
  return html`<p><a href="/sager/${encodeURIComponent(caseId)}/journal.zip">Hent journalen med dokumenter (ZIP til aktindsigt og journalisering)</a></p>
${table({ caption: `Journal, ${plural(journal.length, 'post', 'poster')}, ældste først`, head: ['Tidspunkt', 'Beskrivelse', 'Aktør', 'Dokumenter'], rows: journalRows(caseId, journal.map((j, i) => ({ j, i }))) })}`;
}

function documentsPanel(caseId: string, journal: JournalView[]): Html {
  const docs = journal.flatMap((j, i) => j.documents.map((d, k) => ({ j, i, d, k })));
  if (!docs.length) return html`<p>Sagen har ingen dokumenter endnu.</p>`;
  return table({
    caption: `${plural(docs.length, 'dokument', 'dokumenter')} på sagen`,
    head: ['Dokument', 'Hører til', 'Dato'],
    rows: html`${docs.map(({ j, i, d, k }) => html`<tr><td><a href="/sager/${encodeURIComponent(caseId)}/dokumenter/${i}/${k}">${d.name}</a></td><td>${readable(j.description)}</td><td>${danishDateTime(j.at)}</td></tr>`)}`,
  });
}

/** E-mails whose delivery needs attention: announced at the top of the case page, whichever tab is open. */
function deliveryAlerts(rows: DeliveryRow[], now = Date.now()): Html {
  const rejected = rows.filter((r) => r.status === 'rejected' && !rows.some((x) => x.resendOf === r.id && x.status === 'sent'));
  const waiting = rows.filter((r) => deliveryDelayed(r, now));
  return html`${rejected.length ? alert({ variant: 'error', heading: `${plural(rejected.length, 'e-mail blev', 'e-mails blev')} afvist`, content: html`<p>Modtagerens mailserver afviste: ${rejected.map((r) => r.recipient).join(', ')}. De sendes ikke igen af sig selv; sekretariatet har fået besked. Ret adressen, og send igen under <a href="?fane=emails#faner">E-mails</a>.</p>` }) : ''}
${waiting.length ? alert({ variant: 'warning', role: 'status', content: html`<p>${plural(waiting.length, 'e-mail venter', 'e-mails venter')} på at blive sendt (mailserveren svarer ikke lige nu; der forsøges igen automatisk).</p>` }) : ''}`;
}

function emailsPanel(caseId: string, rows: DeliveryRow[], canAct: boolean, page: number): Html {
  if (!rows.length) return html`<p>Der er ikke sendt e-mails på sagen.</p>`;
  const pages = Math.max(1, Math.ceil(rows.length / EMAILS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = rows.slice((current - 1) * EMAILS_PER_PAGE, current * EMAILS_PER_PAGE);
  const pageLink = (n: number) => `?fane=emails&side=${n}#faner`;
  return html`${table({
    caption: `${plural(rows.length, 'e-mail', 'e-mails')} på sagen, ældste først${pages > 1 ? ` (side ${current} af ${pages})` : ''}`,
    head: ['Oprettet', 'Modtager', 'Emne', 'Status', ...(canAct ? ['Send igen'] : [])],
    rows: html`${shown.map(
      (r) => html`<tr data-email-id="${r.id}" class="${r.status === 'rejected' ? 'overdue' : ''}"><td>${danishDateTime(r.createdAt)}</td><td>${r.recipient}</td><td>${r.subject}${r.resendOf ? html`<br><span class="muted">Gensendt${r.requestedBy ? ` af ${r.requestedBy}` : ''}</span>` : ''}</td>
<td>${DELIVERY_STATUS[r.status]}${r.sentAt ? html`<br><span class="muted">${danishDateTime(r.sentAt)}</span>` : ''}${r.lastError && r.status !== 'sent' ? html`<br><span class="muted">${r.lastError}</span>` : ''}</td>
${canAct ? html`<td><details><summary>Send igen<span class="sr-only"> til ${r.recipient}</span></summary><form method="post" action="/sager/${encodeURIComponent(caseId)}/emails/${r.id}/gensend">
${formGroup({ id: `resend-${r.id}`, label: 'Ny adresse', hint: 'Tom: samme adresse', control: html`<input type="email" class="form-input" id="resend-${r.id}" name="recipient" aria-describedby="resend-${r.id}-hint">` })}
<button type="submit" class="button button-secondary">Send igen</button></form></details></td>` : ''}</tr>`,
    )}`,
  })}
${pages > 1 ? html`<nav class="pagination" aria-label="Sider med e-mails"><ul class="pagination__items">
${current > 1 ? html`<li class="pagination-item"><a class="button button-secondary" href="${pageLink(current - 1)}">Forrige<span class="sr-only"> side</span></a></li>` : ''}
<li class="pagination-item pagination-number"><span>Side ${current} af ${pages}</span></li>
${current < pages ? html`<li class="pagination-item"><a class="button button-secondary" href="${pageLink(current + 1)}">Næste<span class="sr-only"> side</span></a></li>` : ''}</ul></nav>` : ''}`;
}

function actionsSection(caseId: string, live: CaseState, actions: ActionForm[], failed?: FailedAction): Html {
  if (!actions.length) return html``;
  return html`<section class="actions" aria-labelledby="handlinger"><h2 id="handlinger">Handlinger</h2>${actions.map((a) => {
    const f = failed?.action === a.action ? failed : undefined;
    // A refused step opens again where it was, with the reason and everything that was typed.
    return html`<details class="action" id="handling-${a.action}"${f ? html` open` : ''}><summary>${a.label}</summary>
${f?.refusal ? errorSummaryBox('Handlingen blev ikke udført', [{ text: readable(f.refusal) }]) : ''}
${f?.errors.length ? schemaErrorSummary(f.errors, hintsFor(a.definition, live), 'Handlingen blev ikke udført. Ret venligst:', `${a.action}-`) : ''}
<form method="post" action="/sager/${encodeURIComponent(caseId)}/handlinger/${a.action}">${a.fields(live, f ? { values: f.values, errors: f.errors } : undefined)}<div class="form-actions"><button type="submit" class="button button-primary">${a.label}</button></div></form></details>`;
  })}</section>`;
}

/** A step the user posted that was not carried out: its form, what was typed, and why (field errors or the
 * workflow's refusal). */
export interface FailedAction {
  action: string;
  values: FormValues;
  errors: StepFieldError[];
  refusal?: string;
}

/** A step an activity refused for good: what the secretariat must deal with, first on the page. */
function attentionBox(a: { reason: string; since: string } | null | undefined): Html | '' {
  if (!a) return '';
  return alert({
    variant: 'error',
    heading: 'Kræver handling',
    attrs: html` data-testid="attention"`,
    content: html`<p>${readable(a.reason)}</p><p class="muted">Siden ${danishDateTime(a.since)}. Sagen er ført videre, hvor det var muligt; trinnet skal rettes af sekretariatet.</p>`,
  });
}

function summaryBox(s: CaseRow, live: CaseState | null, procedureLabel: string, situation: CaseSituation): Html {
  const status = live?.status ?? s.status;
  const next = status === 'open' ? s.nextDeadline : null;
  const entry = nextDeadlineEntry(live, next);
  const answered = live ? Object.values(live.collections).filter((c) => c.status !== 'closed') : [];
  return html`<section class="case-summary" aria-labelledby="resume"><h2 id="resume">Sagen kort</h2>
<dl>
<dt>Procedure</dt><dd>${procedureLabel}</dd>
<dt>Fase</dt><dd data-testid="stage">${readable(live?.stage ?? s.stage)}</dd>
<dt>Status</dt><dd>${statusLabel[status] ?? status}</dd>
<dt>Næste frist</dt><dd>${next
    ? html`<strong>${danishDate(next.dueDate)}</strong> <span class="${daysLeft(next.dueDate) < 0 ? 'overdue' : 'muted'}">(${daysLeftText(daysLeft(next.dueDate))})</span><br>${entry ? `${entry.label}: ` : ''}"${next.wording}"${RULE_LABELS[next.rule] ? html` <span class="muted">– ${RULE_LABELS[next.rule]!.toLowerCase()}</span>` : ''}${next.reason ? html`<br><span class="deadline-shift">${readable(next.reason)}</span>` : ''}`
    : status === 'open' ? 'Ingen' : html`Ingen – sagen er ${statusLabel[status]?.toLowerCase() ?? status}`}</dd>
<dt>Venter på</dt><dd data-testid="waiting-for">${situation.waitingFor ?? 'Ingen'}</dd>
${answered.map((c) => html`<dt>${c.label}</dt><dd>${c.parties.filter((p) => p.state === 'answered').length} af ${c.parties.length} har svaret</dd>`)}
<dt>Sagsnummer</dt><dd>${s.caseId}</dd>
</dl>
<p class="next-step" data-testid="next-step"><strong>Det sker nu:</strong> ${situation.next}</p></section>`;
}

export interface CasePageOptions {
  /** The procedure's Danish name. */
  procedureLabel?: string;
  tab?: string;
  /** The page of the e-mail list. */
  emailPage?: number;
  /** A step just posted and not carried out: shown open, with its errors and the input kept. */
  failed?: FailedAction;
}

export function casePage(c: { summary: CaseRow; journal: JournalView[]; live: CaseState | null }, actions: ActionForm[] = [], delivery: DeliveryRow[] = [], canAct = true, opts: CasePageOptions = {}): string {
  const s = c.summary;
  const live = c.live;
  const parties = live?.parties ?? s.parties;
  const tab: CaseTab = CASE_TABS.some((t) => t.key === opts.tab) ? (opts.tab as CaseTab) : 'forloeb';
  const situation = caseSituation(s, live, actions);
  const docCount = c.journal.reduce((n, j) => n + j.documents.length, 0);
  const counts: Partial<Record<CaseTab, number>> = { dokumenter: docCount, journal: c.journal.length, emails: delivery.length };
  const panel =
    tab === 'frister' ? deadlinesPanel(live)
    : tab === 'svar' ? answersPanel(live, parties)
    : tab === 'dokumenter' ? documentsPanel(s.caseId, c.journal)
    : tab === 'journal' ? journalPanel(s.caseId, c.journal)
    : tab === 'emails' ? emailsPanel(s.caseId, delivery, canAct, opts.emailPage ?? 1)
    : timelinePanel(s.caseId, live, c.journal);
  const tabText = (t: (typeof CASE_TABS)[number]) => (counts[t.key] !== undefined ? `${t.text} (${counts[t.key]})` : t.text);
  return layout({
    title: s.title,
    body: html`<h1>${s.title}</h1>
${attentionBox(live?.attention ?? s.attention)}
${live && currentWarnings(live).length ? alert({ variant: 'warning', heading: 'Advarsler', content: html`<ul>${currentWarnings(live).map((w) => html`<li>${readable(w)}</li>`)}</ul>` }) : ''}
${deliveryAlerts(delivery)}
${!live ? alert({ variant: 'info', content: 'Sagens detaljer kan ikke hentes lige nu; oversigten er fra sagsoversigten. Prøv igen om lidt.' }) : ''}
${summaryBox(s, live, opts.procedureLabel ?? s.procedure, situation)}
${live ? actionsSection(s.caseId, live, actions, opts.failed) : ''}
<div id="faner">${navigationTabs('Sagens faneblade', CASE_TABS.map((t) => ({ href: `?fane=${t.key}#faner`, text: tabText(t), current: t.key === tab })))}</div>
<section class="tab-panel-content" aria-labelledby="fane-titel"><h2 id="fane-titel" class="sr-only">${CASE_TABS.find((t) => t.key === tab)!.text}</h2>
${panel}</section>`,
  });
}

export function messagePage(title: string, text: string, status = 200): { status: number; body: string } {
  return { status, body: layout({ title, body: html`<h1>${title}</h1><p>${text}</p><p><a href="/">Til overblikket</a></p>` }) };
}
