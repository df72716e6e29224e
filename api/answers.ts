/**
 * A municipality answers from the link in its e-mail, without an account. The link is signed and names one
 * case, one round of answers and one party, so a municipality can answer only for itself; a tampered, used or
 * expired link explains itself and how to get a new one.
 */
import { Router } from 'express';
import type { CaseService } from './caseService';
import { StepRefusedError } from './caseService';
import { verifyAnswerLink, type AnswerLinkClaims } from '../contracts/answerLinks';
import type { CaseState } from '../contracts/caseState';
import type { CollectionView, PartyAnswer } from '../contracts/caseState';
import { html, type Html } from './views/html';
import { layout } from './views/layout';
import { errorSummaryBox, formGroup } from './views/components';
import { danishDate } from './views/format';
import { answerOf, readPostedStep, stepFields } from './steps';
import { CPR_REFUSAL, fieldsWithCpr } from '../domain/personalData';
import { principalOf } from './auth/middleware';
import { actorName } from './auth/principal';

export function createAnswerRouter(deps: { cases: CaseService; linkSecret: string; secretariatEmail: string }) {
  const router = Router();

  const explain = (status: number, title: string, text: string) => ({
    status,
    body: layout({
      title,
      nav: false,
      body: html`<h1>${title}</h1><p>${text}</p><p>Har du brug for et nyt link, så skriv til sekretariatet på <a href="mailto:${deps.secretariatEmail}">${deps.secretariatEmail}</a> og oplys sagsnummeret fra e-mailen.</p>`,
    }),
  });

  async function load(token: string): Promise<
    | { ok: true; claims: AnswerLinkClaims; state: CaseState; collection: CollectionView; party: PartyAnswer }
    | { ok: false; status: number; body: string }
  > {
    const v = verifyAnswerLink(token, deps.linkSecret);
    if (!v.ok) {
      if (v.reason === 'expired') return { ok: false, ...explain(410, 'Linket er udløbet', 'Linket i e-mailen kan ikke længere bruges, fordi det er udløbet.') };
      return { ok: false, ...explain(400, 'Linket er ugyldigt', 'Linket er ikke gyldigt. Det kan være kopieret forkert eller ændret.') };
    }
    const c = await deps.cases.get(v.claims.caseId);
    const state = c?.live;
    const collection = state?.collections[v.claims.collection];
    const party = collection?.parties.find((p) => p.partyId === v.claims.partyId);
    // The case exists but its workflow does not answer (the worker is restarting): say so, as a temporary state.
    if (c && !state) return { ok: false, ...explain(503, 'Sagen kan ikke hentes lige nu', 'Systemet genstarter. Prøv igen om et øjeblik; intet er ændret på sagen.') };
    if (!state || !collection || !party) return { ok: false, ...explain(404, 'Sagen kan ikke findes', 'Sagen, som linket henviser til, findes ikke.') };
    if (party.state === 'answered') {
      return {
        ok: false,
        ...explain(409, 'Der er allerede svaret', `${party.name} har allerede svaret${party.answeredAt ? ` den ${danishDate(party.answeredAt.slice(0, 10))}` : ''}: ${party.answerText ?? ''}. Linket kan kun bruges én gang.`),
      };
    }
    if (collection.status !== 'open') return { ok: false, ...explain(410, 'Der tages ikke længere imod svar', `Runden "${collection.label}" er afsluttet.`) };
    return { ok: true, claims: v.claims, state, collection, party };
  }

  function unavailable(token: string, body: Record<string, unknown>): string {
    const fields = Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string');
    return layout({
      title: 'Svaret blev ikke sendt',
      nav: false,
      body: html`<h1>Svaret blev ikke sendt endnu</h1>
<p>Systemet genstarter lige nu. Dit svar er ikke gemt, men det står herunder: send det igen om et øjeblik.</p>
<form method="post" action="/svar/${token}">
${fields.map(([k, v]) => formGroup({ id: `r-${k}`, label: k === 'text' ? 'Besvarelse' : k, control: html`<textarea class="form-input" id="r-${k}" name="${k}" rows="4">${String(v)}</textarea>` }))}
<p><button type="submit" class="button button-primary">Send svar igen</button></p></form>`,
    });
  }

  function page(l: { state: CaseState; collection: CollectionView; party: PartyAnswer }, token: string, form: Html, errors: string[]): string {
    const d = l.state.deadlines[l.collection.deadlineKey]?.plan.deadline;
    return layout({
      title: `Svar: ${l.collection.label}`,
      nav: false,
      body: html`<h1>${l.collection.label}</h1>
<p>Sag <strong>${l.state.caseId}</strong>: ${l.state.title}</p>
<p>Du svarer for <strong>${l.party.name}</strong>.</p>
${d ? html`<p>Frist: <strong>${danishDate(d.dueDate)}</strong> (${d.wording})${d.reason ? html`<br><span class="deadline-shift">${d.reason}</span>` : ''}</p>` : ''}
${errorSummaryBox('Svaret blev ikke modtaget', errors.map((text) => ({ text })))}
<form method="post" action="/svar/${token}">
${form}
<p><button type="submit" class="button button-primary">Send svar</button></p>
</form>`,
    });
  }

  router.get('/svar/:token', async (req, res) => {
    const l = await load(req.params.token);
    if (!l.ok) return void res.status(l.status).type('html').send(l.body);
    const answer = answerOf(l.state.procedure, l.collection.key);
    res.type('html').send(page(l, req.params.token, stepFields(answer, l.state, { idPrefix: '' }), []));
  });

  router.post('/svar/:token', async (req, res) => {
    const l = await load(req.params.token);
    if (!l.ok) {
      if (l.status !== 503) return void res.status(l.status).type('html').send(l.body);
      res.setHeader('Retry-After', '10');
      // Nothing typed is lost: the answer comes back in the page, ready to send again.
      return void res.status(503).type('html').send(unavailable(req.params.token, (req.body ?? {}) as Record<string, unknown>));
    }
    const answer = answerOf(l.state.procedure, l.collection.key);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')))) as Record<string, string | string[]>;
    const form = { render: (errors: { field: string; label: string; reason: string }[] = []) => stepFields(answer, l.state, { values: typed, errors, idPrefix: '' }) };
    // The form posts text fields only; a JSON body with objects or numbers is not an answer ("[object Object]").
    if (!req.is('application/x-www-form-urlencoded') || Object.keys(typed).length !== Object.keys(body).length) {
      return void res.status(400).type('html').send(page(l, req.params.token, form.render(), ['Svaret skal sendes fra formularen på siden (tekstfelter), ikke som JSON eller andre data']));
    }
    const withCpr = fieldsWithCpr(body);
    if (withCpr.length) return void res.status(400).type('html').send(page(l, req.params.token, form.render(), [`Svaret ${CPR_REFUSAL}.`]));
    const parsed = readPostedStep(answer, l.state, typed);
    if (!parsed.ok) return void res.status(400).type('html').send(page(l, req.params.token, form.render(parsed.errors), parsed.errors.map((e) => `${e.label}: ${e.reason}`)));
    const signedIn = principalOf(res);
    try {
      await deps.cases.update(l.claims.caseId, 'submitAnswer', {
        collection: l.claims.collection,
        partyId: l.claims.partyId,
        answer: parsed.value,
        // A signed-in contact who answers is named in the journal, not only the municipality.
        actor: signedIn ? `${l.party.name} ved ${actorName(signedIn)} (via link i e-mail)` : `${l.party.name} (via link i e-mail)`,
      });
    } catch (e) {
      if (!(e instanceof StepRefusedError)) throw e;
      return void res.status(409).type('html').send(page(l, req.params.token, form.render(), [e.message]));
    }
    res.type('html').send(
      layout({
        title: 'Tak for svaret',
        nav: false,
        body: html`<h1>Tak for svaret</h1><p>Svaret fra ${l.party.name} på "${l.collection.label}" er modtaget og journaliseret på sag ${l.state.caseId}. Kommunen får ikke flere påmindelser om dette.</p>`,
      }),
    );
  });
  return router;
}
