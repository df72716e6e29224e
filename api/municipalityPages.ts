/**
 * A municipality contact's own view: the open tasks of its municipality only, each with a freshly signed answer
 * link (the same kind the e-mails carry), so a contact who lost the e-mail can still answer, and only for itself.
 */
import { Router } from 'express';
import type { Pool } from 'pg';
import type { CaseService } from './caseService';
import { requireRole, principalOf } from './auth/middleware';
import { signAnswerLink } from '../contracts/answerLinks';
import { html } from './views/html';
import { layout } from './views/layout';
import { danishDate, danishDateTime } from './views/format';

const LINK_DAYS = 14;

export interface MunicipalityTask {
  caseId: string;
  title: string;
  task: string;
  state: 'pending' | 'answered';
  answeredAt?: string;
  due?: { wording: string; dueDate: string; reason?: string };
  link?: string;
}

export async function tasksOf(deps: { cases: CaseService; pool: Pool; linkSecret: string }, partyId: string): Promise<MunicipalityTask[]> {
  const { rows } = await deps.pool.query<{ case_id: string }>(
    `SELECT case_id FROM case_summary WHERE status = 'open' AND parties @> $1::jsonb ORDER BY next_due_date NULLS LAST, case_id LIMIT 200`,
    [JSON.stringify([{ partyId }])],
  );
  // Each case's live detail side by side: one after another, a page of 200 cases cost 200 Query round trips, and
  // every case whose worker does not answer added its whole 3 s timeout (the page took minutes).
  const cases = await Promise.all(rows.map((r) => deps.cases.get(r.case_id)));
  const out: MunicipalityTask[] = [];
  for (const [i, r] of rows.entries()) {
    const c = cases[i];
    for (const col of Object.values(c?.live?.collections ?? {})) {
      const mine = col.parties.find((p) => p.partyId === partyId);
      if (!mine || col.status === 'closed') continue;
      const deadline = c!.live!.deadlines[col.deadlineKey]?.plan.deadline;
      const open = col.status === 'open' && mine.state === 'pending';
      out.push({
        caseId: r.case_id,
        title: c!.summary.title,
        task: col.label,
        state: mine.state,
        answeredAt: mine.answeredAt,
        due: deadline ? { wording: deadline.wording, dueDate: deadline.dueDate, reason: deadline.reason } : undefined,
        link: open
          ? `/svar/${signAnswerLink({ caseId: r.case_id, collection: col.key, partyId, exp: new Date(Date.now() + LINK_DAYS * 86_400_000).toISOString() }, deps.linkSecret)}`
          : undefined,
      });
    }
  }
  return out;
}

export function createMunicipalityRouter(deps: { cases: CaseService; pool: Pool; linkSecret: string }) {
  const router = Router();
  router.get('/mine-opgaver', requireRole('municipality'), async (_req, res) => {
    const p = principalOf(res)!;
    const party = (await deps.pool.query<{ name: string }>('SELECT name FROM directory_party WHERE party_id = $1', [p.partyId])).rows[0];
    const tasks = await tasksOf(deps, p.partyId!);
    res.type('html').send(
      layout({
        title: 'Mine opgaver',
        body: html`<h1>Opgaver for ${party?.name ?? p.partyId!}</h1>
${tasks.length
  ? html`<table class="table"><thead><tr><th scope="col">Sag</th><th scope="col">Opgave</th><th scope="col">Frist</th><th scope="col">Status</th></tr></thead><tbody>
${tasks.map(
  (t) => html`<tr><td>${t.title}<br><span class="muted">${t.caseId}</span></td><td>${t.task}</td>
<td>${t.due ? html`${danishDate(t.due.dueDate)}<br><span class="muted">${t.due.wording}</span>${t.due.reason ? html`<br><span class="deadline-shift">${t.due.reason}</span>` : ''}` : 'Ingen'}</td>
<td>${t.link ? html`<a href="${t.link}">Svar nu</a>` : t.state === 'answered' ? html`Besvaret${t.answeredAt ? ` ${danishDateTime(t.answeredAt)}` : ''}` : 'Lukket'}</td></tr>`,
)}</tbody></table>`
  : html`<p>Der er ingen åbne opgaver for ${party?.name ?? p.partyId!} lige nu.</p>`}`,
      }),
    );
  });
  return router;
}
