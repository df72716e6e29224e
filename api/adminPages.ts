/**
 * The secretariat manages who may sign in (users with a role; a municipality contact belongs to one party) and
 * the API tokens of system clients (shown once when made, stored only as a hash, revocable).
 */
import { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { principalOf, requireRole } from './auth/middleware';
import { actorName, ROLE_LABELS, type Role } from './auth/principal';
import { createApiToken, createUser } from './auth/store';
import { html } from './views/html';
import { layout } from './views/layout';
import { alert, errorSummaryBox, formGroup } from './views/components';
import { danishDateTime } from './views/format';
import { CPR_REFUSAL, cprNumbersIn } from '../domain/personalData';

/** User and token names are typed by a person and shown to others: no CPR numbers there either. */
const noCpr = (s: string) => !cprNumbersIn(s).length;
import { HOME_REGION } from '../domain/region';

const ROLES = ['secretariat', 'leadership', 'municipality'] as const;
const UNKNOWN_PARTY = 'Kommune: vælg en kommune fra listen';

const userSchema = z
  .object({
    name: z.string().trim().min(2, 'Navn: skriv mindst 2 tegn').max(200, 'Navn: højst 200 tegn').refine(noCpr, `Navn: feltet ${CPR_REFUSAL}`),
    email: z.email('E-mailadresse: skriv en gyldig e-mailadresse'),
    role: z.enum(ROLES, 'Rolle: vælg en rolle'),
    partyId: z.string().trim().max(40, UNKNOWN_PARTY).optional(),
    password: z.string().min(12, 'Adgangskode: skal være mindst 12 tegn').max(200),
  })
  .refine((u) => u.role !== 'municipality' || !!u.partyId, { path: ['partyId'], message: 'Kommune: vælg kommunen, som kontaktpersonen svarer for' });

const tokenSchema = z
  .object({
    name: z.string().trim().min(3, 'Navn: skriv mindst 3 tegn, fx systemets navn').max(200, 'Navn: højst 200 tegn').refine(noCpr, `Navn: feltet ${CPR_REFUSAL}`),
    role: z.enum(ROLES, 'Rolle: vælg en rolle'),
    partyId: z.string().trim().optional(),
  })
  .refine((u) => u.role !== 'municipality' || !!u.partyId, { path: ['partyId'], message: 'Kommune: vælg kommunen, som nøglen svarer for' });

export function createAdminRouter(deps: { pool: Pool }) {
  const router = Router();
  const secretariat = requireRole('secretariat');
  const parties = async () => (await deps.pool.query<{ party_id: string; name: string }>("SELECT party_id, name FROM directory_party WHERE region = $1 ORDER BY kind DESC, name", [HOME_REGION])).rows;

  const roleSelect = (current?: string) =>
    formGroup({ id: 'role', label: 'Rolle', control: html`<select class="form-select" id="role" name="role">${ROLES.map((r) => html`<option value="${r}"${r === current ? html` selected` : ''}>${ROLE_LABELS[r as Role]}</option>`)}</select>` });
  const partySelect = async (current?: string) =>
    formGroup({ id: 'partyId', label: 'Kommune (kun for kommunale kontaktpersoner)', control: html`<select class="form-select" id="partyId" name="partyId"><option value="">Ingen</option>${(await parties()).map((p) => html`<option value="${p.party_id}"${p.party_id === current ? html` selected` : ''}>${p.name}</option>`)}</select>` });
  const errorList = (errors: string[]) => errorSummaryBox('Ret venligst:', errors.map((text) => ({ text })));

  async function usersPage(values: Record<string, string>, errors: string[]) {
    const { rows } = await deps.pool.query('SELECT u.id, u.email, u.name, u.role, u.disabled, u.created_at, p.name AS party FROM app_user u LEFT JOIN directory_party p ON p.party_id = u.party_id ORDER BY u.role, u.name');
    return layout({
      title: 'Brugere',
      body: html`<h1>Brugere</h1>
<table class="table"><thead><tr><th scope="col">Navn</th><th scope="col">E-mail</th><th scope="col">Rolle</th><th scope="col">Oprettet</th><th scope="col">Adgang</th></tr></thead><tbody>
${rows.map((u) => html`<tr><td>${u.name}</td><td>${u.email}</td><td>${ROLE_LABELS[u.role as Role]}${u.party ? ` for ${u.party}` : ''}</td><td>${danishDateTime((u.created_at as Date).toISOString())}</td>
<td>${u.disabled ? 'Spærret' : 'Aktiv'} <form method="post" action="/brugere/${u.id}/${u.disabled ? 'aabn' : 'spaer'}" class="inline"><button type="submit" class="button button-secondary">${u.disabled ? 'Åbn' : 'Spær'}<span class="visually-hidden"> ${u.name}</span></button></form></td></tr>`)}
</tbody></table>
<h2>Opret bruger</h2>${errorList(errors)}
<form method="post" action="/brugere" novalidate>
${formGroup({ id: 'name', label: 'Navn', control: html`<input type="text" class="form-input" id="name" name="name" value="${values.name ?? ''}">` })}
${formGroup({ id: 'email', label: 'E-mailadresse', control: html`<input type="email" class="form-input" id="email" name="email" value="${values.email ?? ''}">` })}
${roleSelect(values.role)}${await partySelect(values.partyId)}
${formGroup({ id: 'password', label: 'Første adgangskode', hint: 'Mindst 12 tegn. Giv den til brugeren ad en sikker vej.', control: html`<input type="password" class="form-input" id="password" name="password" autocomplete="new-password" aria-describedby="password-hint">` })}
<p><button type="submit" class="button button-primary">Opret bruger</button></p></form>`,
    });
  }

  router.get('/brugere', secretariat, async (_req, res) => {
    res.type('html').send(await usersPage({}, []));
  });
  router.post('/brugere', secretariat, async (req, res) => {
    const b = (req.body ?? {}) as Record<string, string>;
    const input = { ...b, partyId: b.role === 'municipality' ? b.partyId || undefined : undefined };
    const parsed = userSchema.safeParse(input);
    if (!parsed.success) return void res.status(400).type('html').send(await usersPage(b, parsed.error.issues.map((i) => i.message)));
    try {
      await createUser(deps.pool, parsed.data);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') return void res.status(400).type('html').send(await usersPage(b, ['E-mailadresse: der findes allerede en bruger med den adresse']));
      if ((e as { code?: string }).code === '23503') return void res.status(400).type('html').send(await usersPage(b, [UNKNOWN_PARTY]));
      throw e;
    }
    res.redirect(303, '/brugere');
  });
  router.post('/brugere/:id/:op', secretariat, async (req, res) => {
    const op = String(req.params.op);
    if (!/^\d+$/.test(String(req.params.id)) || (op !== 'spaer' && op !== 'aabn')) return void res.redirect(303, '/brugere');
    // Signing out a disabled user at once: their sessions go with the flag.
    await deps.pool.query('UPDATE app_user SET disabled = $2 WHERE id = $1', [req.params.id, op === 'spaer']);
    if (op === 'spaer') await deps.pool.query('DELETE FROM app_session WHERE user_id = $1', [req.params.id]);
    res.redirect(303, '/brugere');
  });

  async function tokensPage(values: Record<string, string>, errors: string[], created?: { name: string; token: string }) {
    const { rows } = await deps.pool.query('SELECT id, name, role, party_id, created_by, created_at, revoked_at FROM api_token ORDER BY created_at DESC LIMIT 200');
    return layout({
      title: 'API-nøgler',
      body: html`<h1>API-nøgler til systemklienter</h1>
<p class="muted">Et system sender nøglen i headeren <code>Authorization: Bearer …</code>. Nøglen vises kun én gang; systemet gemmer kun en hash af den.</p>
${created ? alert({ variant: 'success', heading: `Ny nøgle til ${created.name}`, role: 'status', content: html`<p>Kopiér den nu; den vises ikke igen:</p><p><code data-testid="new-token">${created.token}</code></p>` }) : ''}
<table class="table"><thead><tr><th scope="col">Navn</th><th scope="col">Rolle</th><th scope="col">Oprettet</th><th scope="col">Status</th></tr></thead><tbody>
${rows.map((t) => html`<tr><td>${t.name}</td><td>${ROLE_LABELS[t.role as Role]}${t.party_id ? ` (${t.party_id})` : ''}</td><td>${danishDateTime((t.created_at as Date).toISOString())} af ${t.created_by}</td>
<td>${t.revoked_at ? 'Tilbagekaldt' : html`Aktiv <form method="post" action="/api-noegler/${t.id}/tilbagekald" class="inline"><button type="submit" class="button button-secondary">Tilbagekald<span class="visually-hidden"> ${t.name}</span></button></form>`}</td></tr>`)}
</tbody></table>
<h2>Ny nøgle</h2>${errorList(errors)}
<form method="post" action="/api-noegler" novalidate>
${formGroup({ id: 'name', label: 'Navn (hvilket system)', control: html`<input type="text" class="form-input" id="name" name="name" value="${values.name ?? ''}">` })}
${roleSelect(values.role)}${await partySelect(values.partyId)}
<p><button type="submit" class="button button-primary">Opret nøgle</button></p></form>`,
    });
  }
  router.get('/api-noegler', secretariat, async (_req, res) => {
    res.type('html').send(await tokensPage({}, []));
  });
  router.post('/api-noegler', secretariat, async (req, res) => {
    const b = (req.body ?? {}) as Record<string, string>;
    const parsed = tokenSchema.safeParse({ ...b, partyId: b.role === 'municipality' ? b.partyId || undefined : undefined });
    if (!parsed.success) return void res.status(400).type('html').send(await tokensPage(b, parsed.error.issues.map((i) => i.message)));
    let t: { token: string };
    try {
      t = await createApiToken(deps.pool, { ...parsed.data, createdBy: actorName(principalOf(res)!) });
    } catch (e) {
      // A party that is not in the directory (a hand-made form): the foreign key says no.
      if ((e as { code?: string }).code === '23503') return void res.status(400).type('html').send(await tokensPage(b, [UNKNOWN_PARTY]));
      throw e;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(await tokensPage({}, [], { name: parsed.data.name, token: t.token }));
  });
  router.post('/api-noegler/:id/tilbagekald', secretariat, async (req, res) => {
    if (/^\d+$/.test(String(req.params.id))) await deps.pool.query('UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [req.params.id]);
    res.redirect(303, '/api-noegler');
  });
  return router;
}
