/**
 * The directory (adressebog): the region's municipalities and the Region with their contact e-mails, by default
 * and per procedure. Everyone signed in as staff reads it; the secretariat edits it. A change applies to e-mails
 * sent from then on (each case resolves its recipients when it sends).
 */
import { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { requireRole } from './auth/middleware';
import { procedures } from './procedures';
import { html } from './views/html';
import { layout } from './views/layout';
import { describedBy, errorSummaryBox, formGroup } from './views/components';
import { messagePage } from './views/pages';
import { HOME_REGION } from '../domain/region';

const emailLines = (label: string) =>
  z
    .string()
    .transform((s) => s.split(/[\r\n,;]+/).map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.email(`${label}: "{input}" er ikke en gyldig e-mailadresse`)).max(10, `${label}: højst 10 adresser`));

interface PartyRow {
  party_id: string;
  name: string;
  kind: string;
  kommunenr: number | null;
  region: string;
  contacts: Record<string, string[]>;
}

export function createDirectoryRouter(deps: { pool: Pool }) {
  const router = Router();
  const staff = requireRole('secretariat', 'leadership');
  const keys = () => [{ key: 'default', label: 'Standard (alle procedurer)' }, ...procedures.map((p) => ({ key: p.workflowType, label: p.label }))];

  router.get('/adressebog', staff, async (req, res) => {
    const region = typeof req.query.region === 'string' && req.query.region ? req.query.region : HOME_REGION;
    const { rows } = await deps.pool.query<PartyRow>('SELECT party_id, name, kind, kommunenr, region, contacts FROM directory_party WHERE region = $1 ORDER BY kind DESC, name', [region]);
    const regions = (await deps.pool.query<{ region: string }>('SELECT DISTINCT region FROM directory_party ORDER BY region')).rows.map((r) => r.region);
    res.type('html').send(
      layout({
        title: 'Adressebog',
        body: html`<h1>Adressebog</h1>
<form method="get" action="/adressebog" class="filters">${formGroup({ id: 'region', label: 'Region', control: html`<select class="form-select" id="region" name="region">${regions.map((r) => html`<option${r === region ? html` selected` : ''}>${r}</option>`)}</select>` })}<div class="form-group"><button type="submit" class="button button-secondary">Vis</button></div></form>
<table class="table"><thead><tr><th scope="col">Part</th><th scope="col">Kommunenr.</th><th scope="col">Kontakter</th><th scope="col"></th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr><td>${r.name}</td><td>${r.kommunenr ?? ''}</td><td>${Object.entries(r.contacts).map(([k, v]) => html`${k === 'default' ? 'Standard' : k}: ${v.join(', ')}<br>`)}</td>
<td><a href="/adressebog/${encodeURIComponent(r.party_id)}">Ret<span class="visually-hidden"> ${r.name}</span></a></td></tr>`,
)}</tbody></table>`,
      }),
    );
  });

  const editPage = (r: PartyRow, values: Record<string, string>, errors: Record<string, string>) =>
    layout({
      title: `Adressebog: ${r.name}`,
      body: html`<h1>Kontakter for ${r.name}</h1>
<p class="muted">Flere adresser adskilles med linjeskift. En procedure uden egne adresser bruger standardadresserne. Ændringen gælder e-mails, der sendes fremover.</p>
${errorSummaryBox('Kontakterne blev ikke gemt. Ret venligst:', Object.entries(errors).map(([k, e]) => ({ href: `#c-${k}`, text: e })))}
<form method="post" action="/adressebog/${encodeURIComponent(r.party_id)}" novalidate>
${keys().map(
  (k) => formGroup({
    id: `c-${k.key}`,
    label: k.label,
    errors: errors[k.key] ? [errors[k.key]!] : [],
    control: html`<textarea class="form-input" id="c-${k.key}" name="c-${k.key}" rows="2"${describedBy(`c-${k.key}`, false, !!errors[k.key])}>${values[k.key] ?? ''}</textarea>`,
  }),
)}
<div class="form-actions"><button type="submit" class="button button-primary">Gem kontakter</button> <a class="button button-secondary" href="/adressebog?region=${encodeURIComponent(r.region)}">Tilbage</a></div></form>`,
    });

  const load = async (partyId: string) =>
    (await deps.pool.query<PartyRow>('SELECT party_id, name, kind, kommunenr, region, contacts FROM directory_party WHERE party_id = $1', [partyId])).rows[0];

  router.get('/adressebog/:partyId', requireRole('secretariat'), async (req, res) => {
    const r = await load(String(req.params.partyId));
    if (!r) {
      const p = messagePage('Parten findes ikke', 'Der er ingen part med det id i adressebogen.', 404);
      return void res.status(p.status).type('html').send(p.body);
    }
    res.type('html').send(editPage(r, Object.fromEntries(Object.entries(r.contacts).map(([k, v]) => [k, v.join('\n')])), {}));
  });

  router.post('/adressebog/:partyId', requireRole('secretariat'), async (req, res) => {
    const r = await load(String(req.params.partyId));
    if (!r) {
      const p = messagePage('Parten findes ikke', 'Der er ingen part med det id i adressebogen.', 404);
      return void res.status(p.status).type('html').send(p.body);
    }
    const body = (req.body ?? {}) as Record<string, string>;
    const values: Record<string, string> = {};
    const errors: Record<string, string> = {};
    const contacts: Record<string, string[]> = {};
    for (const k of keys()) {
      values[k.key] = String(body[`c-${k.key}`] ?? '');
      const parsed = emailLines(k.label).safeParse(values[k.key]);
      if (!parsed.success) errors[k.key] = parsed.error.issues[0]!.message.replace('{input}', String((parsed.error.issues[0] as { input?: unknown }).input ?? ''));
      else if (parsed.data.length) contacts[k.key] = parsed.data;
    }
    if (!contacts.default && !errors.default) errors.default = 'Standard (alle procedurer): angiv mindst én adresse';
    if (Object.keys(errors).length) return void res.status(400).type('html').send(editPage(r, values, errors));
    await deps.pool.query('UPDATE directory_party SET contacts = $2 WHERE party_id = $1', [r.party_id, JSON.stringify(contacts)]);
    res.redirect(303, `/adressebog?region=${encodeURIComponent(r.region)}`);
  });
  return router;
}
