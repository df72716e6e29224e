/**
 * The main flow of each role in a real browser (Debian's Chromium driven by playwright-core), against the real
 * servers: the secretariat signs in and starts cases from the forms; a municipality answers through the link taken
 * from the e-mail that arrived over SMTP; leadership sees the dashboard change; a municipality contact sees only its
 * own tasks. Every page visited is checked with axe: no serious or critical violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { createUser } from '../../api/auth/store';

let h: Harness;
let browser: Browser;
const PASSWORD = 'korrekt-hest-batteri-haefteklamme';
const violations: string[] = [];
/** Whatever the browser refused under the Content-Security-Policy (an inline style or script, a foreign file). */
const cspRefusals: string[] = [];
/** KKR_GALLERY=1 saves screenshots of the main pages to docs/gallery/ (the newcomers' gallery). */
const GALLERY = process.env.KKR_GALLERY === '1';
async function shot(page: Page, name: string): Promise<void> {
  if (GALLERY) await page.screenshot({ path: `docs/gallery/${name}.png`, fullPage: true });
}
function watchCsp(context: BrowserContext): void {
  context.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspRefusals.push(`${m.location().url}: ${m.text()}`);
  });
}
const checked = new Set<string>();

beforeAll(async () => {
  h = await startHarness();
  browser = await chromium.launch({
    executablePath: inject('chromiumPath'),
    // playwright-core gives every launch a new empty profile of its own.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** axe on the page as it is now; each distinct page (by path and state) once. */
async function axe(page: Page, label: string): Promise<void> {
  const key = `${new URL(page.url()).pathname.replace(/[A-Z]+-[0-9a-f-]+/gi, ':id')} ${label}`;
  if (checked.has(key)) return;
  checked.add(key);
  const r = await new AxeBuilder({ page }).analyze();
  // axe really looked at the page (a blank or failed load would pass nothing).
  expect(r.passes.length, key).toBeGreaterThan(10);
  for (const v of r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
    violations.push(`${key}: ${v.id} (${v.impact}) ${v.help} – ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }
}

async function signedIn(role: 'secretariat' | 'leadership' | 'municipality', name: string, partyId?: string): Promise<{ context: BrowserContext; page: Page }> {
  const email = `${role}-${randomUUID().slice(0, 8)}@kkr-test.example`;
  await createUser(h.pool, { email, name, role, partyId, password: PASSWORD });
  const context = await browser.newContext({ locale: 'da-DK', viewport: { width: 1280, height: 900 } });
  watchCsp(context);
  const page = await context.newPage();
  await page.goto(`${h.baseUrl}/log-ind`);
  await axe(page, 'sign-in');
  await page.getByLabel('E-mailadresse').fill(email);
  await page.getByLabel('Adgangskode').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForLoadState();
  return { context, page };
}

const day = (o: number) => new Date(Date.now() + o * 86_400_000).toISOString().slice(0, 10);

describe('in the browser', () => {
  it('secretariat starts a central announcement, a municipality answers from its e-mail, leadership and the contact see it', { timeout: 240_000 }, async () => {
    const sec = await signedIn('secretariat', 'Sanne Sekretær');
    const p = sec.page;
    await axe(p, 'dashboard');
    await p.getByRole('link', { name: 'Start en sag' }).click();
    await axe(p, 'choose');
    await p.getByRole('link', { name: 'Syddansk besvarelse af central udmelding' }).click();
    await axe(p, 'empty form');
    await shot(p, 'startformular');

    // Submitted half-filled: errors next to the fields, in Danish, and what was typed is kept.
    const title = `Browsertest ${randomUUID().slice(0, 6)}`;
    await p.getByLabel('Udmeldingens titel').fill(title);
    await p.getByRole('button', { name: 'Opret sag' }).click();
    await expect.poll(() => p.locator('#targetGroup-fejl').textContent()).toContain('Målgruppen som udmeldt');
    expect(await p.getByLabel('Udmeldingens titel').inputValue()).toBe(title);
    await axe(p, 'form with errors');

    await p.getByLabel('Målgruppen som udmeldt').fill('Børn og unge med alvorlig synsnedsættelse');
    await p.getByLabel('Hvad parterne bedes svare på').fill('Beskriv indsatsen og samarbejdet med kommunikationscentret.');
    await p.getByLabel('Esbjerg').check();
    await p.locator('#collectionDeadline-wording').fill('senest om tre uger');
    await p.locator('#collectionDeadline-nominalDate').fill(day(21));
    await p.locator('#submissionDeadline-wording').fill('senest om et halvt år');
    await p.locator('#submissionDeadline-nominalDate').fill(day(180));
    await p.getByLabel('Styrelsens e-mailadresse').fill('udmelding@sbst.example');
    await p.getByRole('button', { name: 'Vis forhåndsvisning' }).click();
    await expect.poll(() => p.getByRole('heading', { name: 'Forhåndsvisning' }).count()).toBe(1);
    await axe(p, 'preview');
    await p.getByRole('button', { name: 'Opret sag' }).click();
    await p.waitForURL(/\/sager\/CU-/);
    const caseId = decodeURIComponent(p.url().split('/').pop()!);
    await expect.poll(async () => (await p.reload(), await p.content()).includes('Dataindsamling'), { timeout: 60_000 }).toBe(true);
    await axe(p, 'case page');

    // Esbjerg's e-mail, over SMTP; its link opens the answer form in the browser without an account.
    const [mail] = await h.waitForMail((m) => m.text.includes(caseId) && m.envelopeTo.some((t) => t.includes('esbjerg')), 1, 60_000);
    const link = /http:\/\/127\.0\.0\.1(?::\d+)?(\/svar\/[A-Za-z0-9_.-]+)/.exec(mail!.text)![1]!;
    const anon = await browser.newContext({ locale: 'da-DK', viewport: { width: 1280, height: 900 } });
    watchCsp(anon);
    const a = await anon.newPage();
    await a.goto(`${h.baseUrl}${link}`);
    await axe(a, 'answer form');
    await shot(a, 'svarside');
    await a.getByLabel('Besvarelse').fill('Esbjerg koordinerer gennem Pædagogisk Enhed.');
    await a.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => a.getByRole('heading', { name: 'Tak for svaret' }).count()).toBe(1);
    await axe(a, 'answer received');
    await a.goto(`${h.baseUrl}${link}`);
    expect(await a.content()).toContain('allerede svaret');
    await a.goto(`${h.baseUrl}/svar/${link.split('/svar/')[1]!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`);
    expect(await a.content()).toContain('Linket er ugyldigt');
    await axe(a, 'invalid link');
    await anon.close();

    // The secretariat sees the answer and the open draft step.
    await expect.poll(async () => (await p.reload(), await p.content()).includes('Registrér udkast til afrapportering'), { timeout: 60_000 }).toBe(true);
    await axe(p, 'case page with steps');
    // The summary box says what happens next; each tab is a page of its own (works without JavaScript).
    expect(await p.getByTestId('next-step').textContent()).toMatch(/Det sker nu: Sekretariatet skal nu: registrér udkast til afrapportering/);
    await shot(p, 'sagsside');
    if (GALLERY) {
      // The print stylesheet: the case summary without menu, forms or tabs.
      await p.emulateMedia({ media: 'print' });
      await shot(p, 'sagsside-udskrift');
      await p.emulateMedia({ media: 'screen' });
    }
    for (const tab of ['Frister', 'Svar', 'Dokumenter', 'Journal', 'E-mails']) {
      await p.getByRole('navigation', { name: 'Sagens faneblade' }).getByRole('link', { name: new RegExp(`^${tab}`) }).click();
      await p.waitForURL(new RegExp(`fane=`));
      expect(await p.locator('.tab-button[aria-current="true"]').textContent()).toContain(tab);
      await axe(p, `case tab ${tab}`);
      if (tab === 'Svar') await shot(p, 'sagsside-svar');
    }
    expect(await p.locator('table').first().textContent()).toContain('sagsbehandler@esbjerg.kommune.example');

    // Leadership: the dashboard lists the case; the case page has no actions.
    const lead = await signedIn('leadership', 'Leif Leder');
    await lead.page.getByLabel('Søg (titel eller sagsnummer)').fill(title);
    await lead.page.getByRole('button', { name: 'Vis' }).click();
    await expect.poll(() => lead.page.getByRole('link', { name: `Central udmelding: ${title}` }).count()).toBe(1);
    await axe(lead.page, 'dashboard search');
    await lead.page.goto(`${h.baseUrl}/`);
    await shot(lead.page, 'overblik');
    await lead.page.getByRole('link', { name: `Central udmelding: ${title}` }).click();
    expect(await lead.page.getByRole('heading', { name: 'Handlinger' }).count()).toBe(0);
    await lead.context.close();

    // A contact for Esbjerg sees the answered task; one for Odense does not see the case at all.
    const esbjerg = await signedIn('municipality', 'Erik fra Esbjerg', '561');
    expect(esbjerg.page.url()).toContain('/mine-opgaver');
    expect(await esbjerg.page.content()).toContain(caseId);
    await axe(esbjerg.page, 'own tasks');
    await esbjerg.context.close();
    const odense = await signedIn('municipality', 'Olga fra Odense', '461');
    expect(await odense.page.content()).not.toContain(caseId);
    await odense.context.close();
    await sec.context.close();
  });

  it('every other page of the secretariat passes axe', { timeout: 180_000 }, async () => {
    const { context, page } = await signedIn('secretariat', 'Sofie Sekretær');
    for (const [p, label] of [
      ['/sager/ny/orientation', 'orientation form'],
      ['/sager/ny/refugeeQuota', 'refugee form'],
      ['/sager/ny/capacityChange', 'capacity form'],
      ['/sager/ny/closure', 'closure form'],
      ['/adressebog', 'directory'],
      ['/adressebog/461', 'directory edit'],
      ['/brugere', 'users'],
      ['/api-noegler', 'tokens'],
      ['/tilgaengelighed', 'accessibility statement'],
      ['/api/docs', 'API docs'],
      ['/forsinkelser', 'who is late'],
      ['/kommuner/461', 'one municipality'],
      ['/?due=overdue', 'dashboard filtered'],
    ] as const) {
      await page.goto(`${h.baseUrl}${p}`);
      await axe(page, label);
    }
    // A start form with errors and one with a preview.
    await page.goto(`${h.baseUrl}/sager/ny/closure`);
    await page.getByRole('button', { name: 'Vis forhåndsvisning' }).click();
    await page.waitForLoadState();
    await axe(page, 'closure form with errors');
    await context.close();
    expect(checked.size).toBeGreaterThanOrEqual(26);
    expect(violations).toEqual([]);
    // No inline style or script anywhere: the CSP refuses them, and a refused style silently breaks the page.
    expect(cspRefusals).toEqual([]);
  });
});
