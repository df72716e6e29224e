/**
 * Leadership's overview, read from the PostgreSQL read model only (never a Query per case), so it stays fast
 * with many cases: every case with its stage, next deadline (wording, weekday, days left, overdue and at-risk
 * marked), the political body it waits for and that body's next meeting; filters, search and pages; a CSV export
 * of the same selection; the "who is late" matrix of municipalities × open cases; and one municipality's cases.
 */
import { csvCell } from './csv';
import { Router, type Request } from 'express';
import type { Pool } from 'pg';
import { COUNT_EXACT_UP_TO, type CaseRow, type CaseService, type ListFilter } from './caseService';
import { requireRole } from './auth/middleware';
import { procedures } from './procedures';
import { html, type Html } from './views/html';
import { layout } from './views/layout';
import { formGroup } from './views/components';
import { copenhagenTimestamp, danishDate, daysLeft, deadlineClass, plural, readable, statusLabel } from './views/format';
import { bodyName } from '../domain/bodies';
import { isLatePartyState } from '../domain/partyStates';
import { HOME_REGION } from '../domain/region';

const procedureLabel = (id: string) => procedures.find((p) => p.id === id)?.label ?? id;

/** The next meeting (today or later) of each body, from the political calendar. */
async function nextMeetings(pool: Pool, bodies: string[]): Promise<Map<string, string>> {
  if (!bodies.length) return new Map();
  const { rows } = await pool.query<{ body: string; d: string }>(
    `SELECT body, to_char(min(meeting_date), 'YYYY-MM-DD') AS d FROM political_meeting
     WHERE body = ANY($1) AND meeting_date >= (now() AT TIME ZONE 'Europe/Copenhagen')::date GROUP BY body`,
    [bodies],
  );
  return new Map(rows.map((r) => [r.body, r.d]));
}

function filterQuery(f: ListFilter, page?: number): string {
  const q = new URLSearchParams();
  for (const k of ['procedure', 'status', 'party', 'due', 'q'] as const) if (f[k]) q.set(k, String(f[k]));
  // A page size chosen in the address is kept by the pager's links (the default is left out).
  if (page && f.pageSize !== 50) q.set('pageSize', String(f.pageSize));
  if (page && page > 1) q.set('page', String(page));
  return q.toString();
}

function deadlineCell(row: CaseRow): Html {
  const d = row.nextDeadline;
  if (!d) return html`<span class="muted">Ingen</span>`;
  return html`<span class="${deadlineClass(row)}">${danishDate(d.dueDate)}</span><br><span class="muted">${d.wording}</span>
${d.shiftedFrom ? html`<br><span class="deadline-shift">Flyttet: ${readable(d.reason ?? '')}</span>` : ''}`;
}

function daysCell(row: CaseRow): Html {
  if (!row.nextDeadline || row.status !== 'open') return html``;
  const left = daysLeft(row.nextDeadline.dueDate);
  if (left < 0) return html`<span class="overdue">${plural(-left, 'dag', 'dage')} over fristen</span>`;
  return html`<span class="${left <= 7 ? 'atrisk' : ''}">${left === 0 ? 'I dag' : plural(left, 'dag', 'dage')}</span>`;
}

function select(name: string, label: string, options: [string, string][], current?: string): Html {
  return formGroup({
    id: `f-${name}`,
    label,
    control: html`<select class="form-select" id="f-${name}" name="${name}"><option value="">Alle</option>
${options.map(([v, l]) => html`<option value="${v}"${v === current ? html` selected` : ''}>${l}</option>`)}</select>`,
  });
}

/** "123 sager", or above the exact-count limit "Flere end 10.000 sager (skønnet ca. 60.000)". */
function countText(list: { total: number; totalIsEstimate: boolean }): string {
  if (!list.totalIsEstimate) return `${list.total.toLocaleString('da-DK')} ${list.total === 1 ? 'sag' : 'sager'}`;
  const over = `Flere end ${COUNT_EXACT_UP_TO.toLocaleString('da-DK')} sager`;
  return list.total > COUNT_EXACT_UP_TO + 1 ? `${over} (skønnet ca. ${list.total.toLocaleString('da-DK')})` : over;
}

/** "af 12", or "af ca. 1.200" when the number of pages rests on the planner's estimate. "Næste" is offered only
 * when the page has a successor (`hasMore`), never from the estimate, so it neither vanishes early nor leads to
 * an empty page; the page count is kept consistent with what the pager offers. */
function pagerOf(list: { total: number; totalIsEstimate: boolean; page: number; pageSize: number; hasMore: boolean }): { of: string } {
  if (!list.totalIsEstimate) return { of: Math.max(1, Math.ceil(list.total / list.pageSize)).toLocaleString('da-DK') };
  if (!list.hasMore) return { of: list.page.toLocaleString('da-DK') };
  return { of: `ca. ${Math.max(Math.ceil(list.total / list.pageSize), list.page + 1).toLocaleString('da-DK')}` };
}

export function createDashboardRouter(deps: { cases: CaseService; pool: Pool }) {
  const router = Router();
  const staff = requireRole('secretariat', 'leadership');
  const parties = async () =>
    (await deps.pool.query<{ party_id: string; name: string }>("SELECT party_id, name FROM directory_party WHERE region = $1 ORDER BY kind DESC, name", [HOME_REGION])).rows;

  router.get('/', staff, async (req, res) => {
    const f = deps.cases.parseListFilter(req.query);
    const list = await deps.cases.list(f);
    const meetings = await nextMeetings(deps.pool, [...new Set(list.items.map((c) => c.awaitingBody).filter((b): b is string => !!b))]);
    const pager = pagerOf(list);
    const all = await parties();
    res.type('html').send(
      layout({
        title: 'Overblik',
        body: html`<h1>Overblik over sager</h1>
<form method="get" action="/" role="search" class="filters">
${formGroup({ id: 'q', label: 'Søg (titel eller sagsnummer)', control: html`<input type="text" class="form-input" id="q" name="q" value="${f.q ?? ''}">` })}
${select('procedure', 'Procedure', procedures.map((p) => [p.id, p.label]), f.procedure)}
${select('status', 'Status', [...Object.entries(statusLabel), ['attention', 'Kræver handling']], f.status)}
${select('due', 'Frist', [['overdue', 'Overskredet'], ['risk', 'Inden for 14 dage']], f.due)}
${select('party', 'Kommune', all.map((p) => [p.party_id, p.name]), f.party)}
<div class="form-group form-actions"><button type="submit" class="button button-primary">Vis</button> <a class="button button-secondary" href="/">Nulstil</a></div></form>
<p>${countText(list)}. <a href="/sager.csv?${filterQuery(f)}">Hent som CSV</a> · <a href="/forsinkelser">Hvem er forsinket?</a></p>
<table class="table">
<caption class="muted">Åbne sager først, sorteret efter næste frist</caption>
<thead><tr><th scope="col">Sag</th><th scope="col">Procedure</th><th scope="col">Fase</th><th scope="col">Status</th><th scope="col">Næste frist</th><th scope="col">Dage tilbage</th><th scope="col">Venter på</th></tr></thead>
<tbody>
${list.items.map(
  (c) => html`<tr data-case-id="${c.caseId}">
  <td><a href="/sager/${encodeURIComponent(c.caseId)}">${c.title}</a><br><span class="muted">${c.caseId}</span></td>
  <td>${procedureLabel(c.procedure)}</td><td>${readable(c.stage)}</td><td>${statusLabel[c.status] ?? c.status}${c.attention ? html`<br><strong class="attention" title="${c.attention.reason}">Kræver handling</strong>` : ''}</td><td>${deadlineCell(c)}</td><td>${daysCell(c)}</td>
  <td>${c.awaitingBody ? html`${bodyName(c.awaitingBody)}<br><span class="muted">${meetings.get(c.awaitingBody) ? `Næste møde ${danishDate(meetings.get(c.awaitingBody)!)}` : 'Intet møde i kalenderen'}</span>` : ''}</td></tr>`,
)}
</tbody></table>
${list.page > 1 || list.hasMore ? html`<nav aria-label="Sider"><p>Side ${list.page} af ${pager.of}
${list.page > 1 ? html` · <a href="/?${filterQuery(f, list.page - 1)}">Forrige</a>` : ''}
${list.hasMore ? html` · <a href="/?${filterQuery(f, list.page + 1)}">Næste</a>` : ''}</p></nav>` : ''}`,
      }),
    );
  });

  // The same selection as the overview, all of it in case-number order, for a spreadsheet (semicolons and a BOM:
  // Danish Excel).
  router.get('/sager.csv', staff, async (req: Request, res) => {
    const f = deps.cases.parseListFilter({ ...req.query, page: 1 });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="sager.csv"');
    res.write('\uFEFF' + ['Sagsnummer', 'Titel', 'Procedure', 'Fase', 'Status', 'Næste frist', 'Fristens ordlyd', 'Dage tilbage', 'Venter på', 'Forsinkede parter', 'Opdateret'].join(';') + '\r\n');
    for await (const batch of deps.cases.all(f)) {
      let chunk = '';
      for (const c of batch) {
        const late = c.parties.filter((p) => /for sent|mangler/.test(p.state)).map((p) => p.name).join(', ');
        chunk +=
          [c.caseId, c.title, procedureLabel(c.procedure), c.stage, statusLabel[c.status] ?? c.status, c.nextDeadline?.dueDate ?? '', c.nextDeadline?.wording ?? '', c.nextDeadline && c.status === 'open' ? daysLeft(c.nextDeadline.dueDate) : '', c.awaitingBody ? bodyName(c.awaitingBody) : '', late, copenhagenTimestamp(c.updatedAt)]
            .map(csvCell)
            .join(';') + '\r\n';
      }
      // Respect the socket's back-pressure: a slow client must not make the server buffer the whole export.
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  });

  // Municipalities × open cases that wait for answers: who has answered, who is waiting, who is late.
  router.get('/forsinkelser', staff, async (_req, res) => {
    const { rows } = await deps.pool.query<{ case_id: string; title: string; next_due_date: string | null; parties: CaseRow['parties'] }>(
      `SELECT case_id, title, to_char(next_due_date, 'YYYY-MM-DD') AS next_due_date, parties FROM case_summary
       WHERE status = 'open' AND (parties @> '[{"state": "afventer svar"}]'::jsonb OR late_parties > 0)
       ORDER BY next_due_date NULLS LAST, case_id LIMIT 40`,
    );
    const all = await parties();
    const mark = (state: string | undefined): Html =>
      state === undefined
        ? html`<span class="muted">–</span>`
        : isLatePartyState(state)
          ? html`<span class="overdue">For sent</span>`
          : /^svaret/.test(state)
            ? html`Svaret${/for sent/.test(state) ? ' (for sent)' : ''}`
            : html`Afventer`;
    const lateCount = (id: string) => rows.filter((r) => r.parties.some((p) => p.partyId === id && isLatePartyState(p.state))).length;
    res.type('html').send(
      layout({
        title: 'Hvem er forsinket?',
        body: html`<h1>Hvem er forsinket?</h1>
<p>Kommunernes svar i de åbne sager, der venter på svar (højst 40, de nærmeste frister først).</p>
${rows.length
  ? html`<div class="scroll"><table class="table table--compact matrix"><caption class="muted">Rækker: kommuner og regionen. Kolonner: sager.</caption>
<thead><tr><th scope="col">Part</th><th scope="col">For sent i alt</th>${rows.map((r) => html`<th scope="col"><a href="/sager/${encodeURIComponent(r.case_id)}">${r.title}</a><br><span class="muted">${r.next_due_date ? danishDate(r.next_due_date) : ''}</span></th>`)}</tr></thead>
<tbody>${all.map(
  (p) => html`<tr><th scope="row"><a href="/kommuner/${encodeURIComponent(p.party_id)}">${p.name}</a></th><td>${lateCount(p.party_id) ? html`<span class="overdue">${lateCount(p.party_id)}</span>` : '0'}</td>
${rows.map((r) => html`<td>${mark(r.parties.find((x) => x.partyId === p.party_id)?.state)}</td>`)}</tr>`,
)}</tbody></table></div>`
  : html`<p>Ingen åbne sager venter på svar.</p>`}`,
      }),
    );
  });

  // One municipality's open cases and its state in each, for leadership and the secretariat.
  router.get('/kommuner/:partyId', staff, async (req, res) => {
    const partyId = String(req.params.partyId);
    const party = (await deps.pool.query<{ name: string }>('SELECT name FROM directory_party WHERE party_id = $1', [partyId])).rows[0];
    if (!party) return void res.status(404).type('html').send(layout({ title: 'Ukendt part', body: html`<h1>Ukendt part</h1><p>Parten findes ikke i adressebogen.</p>` }));
    const list = await deps.cases.list(deps.cases.parseListFilter({ party: partyId, status: 'open', pageSize: 200 }));
    res.type('html').send(
      layout({
        title: `Sager for ${party.name}`,
        body: html`<h1>Åbne sager for ${party.name}</h1>
<table class="table"><thead><tr><th scope="col">Sag</th><th scope="col">Fase</th><th scope="col">${party.name}s status</th><th scope="col">Næste frist</th><th scope="col">Dage tilbage</th></tr></thead><tbody>
${list.items.map((c) => html`<tr><td><a href="/sager/${encodeURIComponent(c.caseId)}">${c.title}</a><br><span class="muted">${c.caseId}</span></td><td>${c.stage}</td>
<td>${c.parties.find((p) => p.partyId === partyId)?.state ?? ''}</td><td>${deadlineCell(c)}</td><td>${daysCell(c)}</td></tr>`)}
</tbody></table>${list.items.length ? '' : html`<p>Ingen åbne sager.</p>`}`,
      }),
    );
  });
  return router;
}
