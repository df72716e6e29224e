/**
 * The secretariat's pages for the refugee quota procedure: the start form with Danish errors next to the
 * fields, a preview of the calculated quotas and deadlines (with why a deadline moved) before the case
 * starts, and the case page's actions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../support/harness';
import { caseIdFor } from '../../api/caseIds';
import { calculatedQuotasFor } from '../../api/procedures/refugeeQuota';

/** Bilag B as pasted from the agency's letter: "kommunenr;navn;kvote", one line a municipality. */
const pastedQuotas = (adjust: (nr: number) => number = () => 0) =>
  [
    'Kommunenr;Kommune;Kvote',
    ...calculatedQuotasFor({ landstal: 550, regionQuotas: { 'Region Hovedstaden': 135, 'Region Sjælland': 81, 'Region Syddanmark': 125, 'Region Midtjylland': 141, 'Region Nordjylland': 68 }, region: 'Region Syddanmark' }).map(
      (q) => `${q.kommunenr};${q.name};${q.quota + adjust(q.kommunenr)}`,
    ),
  ].join('\n');

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const baseForm = (requestId: string): Record<string, string> => ({
  requestId,
  quotaYear: '2024',
  landstal: '550',
  region: 'Region Syddanmark',
  'rq-hovedstaden': '135',
  'rq-sjaelland': '81',
  'rq-syddanmark': '125',
  'rq-midtjylland': '141',
  'rq-nordjylland': '68',
  announcementDate: '2023-04-30',
  'dl-positions-wording': 'senest den 2. juni 2027',
  'dl-positions-date': '2027-06-02',
  'dl-positions-rule': 'generalShift',
  'dl-agreement-wording': 'inden den 10. september 2023',
  'dl-agreement-date': '2023-09-10',
  'dl-agreement-rule': 'generalShift',
  'dl-fallback-wording': 'inden den 30. september 2023',
  'dl-fallback-date': '2023-09-30',
  'dl-fallback-rule': 'noShift',
  agencyEmail: 'asylkontor@us.example',
});

describe('refugee quota pages', () => {
  it('shows Danish errors next to the fields and keeps what was typed', async () => {
    const page = await (await h.fetch(`${h.baseUrl}/sager/ny/refugeeQuota`)).text();
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(page)![1]!;
    const res = await h.fetch(`${h.baseUrl}/sager/ny/refugeeQuota`, {
      method: 'POST',
      body: new URLSearchParams({ ...baseForm(requestId), landstal: 'mange', 'rq-syddanmark': '-3', agencyEmail: 'ikke-en-adresse', intent: 'start' }),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/Landstal: Landstallet skal være et tal/);
    expect(html).toMatch(/Region Syddanmark: Regionskvoten kan ikke være negativ/);
    expect(html).toMatch(/Udlændingestyrelsens e-mailadresse: Udlændingestyrelsens e-mailadresse er ugyldig/);
    expect(html).toContain('value="mange"');
  });

  it('takes the agency\'s own quotas for any year but 2024, checked against the regional quota', async () => {
    const post = (extra: Record<string, string>) =>
      h.fetch(`${h.baseUrl}/sager/ny/refugeeQuota`, { method: 'POST', body: new URLSearchParams({ ...baseForm('00000000-0000-4000-8000-000000000003'), quotaYear: '2028', ...extra, intent: 'preview' }) });
    // Without them: refused, naming the field, because the engine holds only the 2024 data.
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Udlændingestyrelsens beregnede kommunekvoter (bilag B): For kvoteåret 2028 skal Udlændingestyrelsens beregnede kommunekvoter for Region Syddanmark indsættes');
    // A table that does not add up to the regional quota, and a line naming no municipality.
    const wrongSum = await post({ agencyQuotas: pastedQuotas((nr) => (nr === 461 ? 2 : 0)) });
    expect(wrongSum.status).toBe(400);
    expect(await wrongSum.text()).toContain('Kvoterne summer til 127, men regionskvoten for Region Syddanmark er 125 (2 for mange)');
    const unknown = await post({ agencyQuotas: `${pastedQuotas()}\nGotham;3` });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Linje 24: &#34;Gotham&#34; er hverken et kendt kommunenummer eller et kendt kommunenavn');
    // Names instead of numbers, tab-separated as copied from a spreadsheet: accepted, and the preview says whose figures they are.
    const byName = pastedQuotas((nr) => (nr === 461 ? 1 : nr === 621 ? -1 : 0)).split('\n').slice(1).map((l) => { const [, name, q] = l.split(';'); return `${name}\t${q}`; }).join('\n');
    const ok = await post({ agencyQuotas: byName });
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain('Kilde: Udlændingestyrelsens beregnede kommunekvoter (bilag B), som indsat.');
    expect(html).toMatch(/<td>Odense<\/td><td>461<\/td><td>–<\/td><td>14<\/td>/);
  });

  it('reads the agency\'s "inden den 10. september" prudently by default: before that day, and a weekend moves back', async () => {
    const { 'dl-agreement-rule': _rule, ...form } = baseForm('00000000-0000-4000-8000-000000000004');
    const page = await (await h.fetch(`${h.baseUrl}/sager/ny/refugeeQuota`)).text();
    expect(page).toContain('<option value="backwardShift" selected>');
    expect(page).toContain('<option value="strictlyBefore" selected>');
    const res = await h.fetch(`${h.baseUrl}/sager/ny/refugeeQuota`, { method: 'POST', body: new URLSearchParams({ ...form, intent: 'preview' }) });
    expect(res.status).toBe(200);
    const html = (await res.text()).replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
    expect(html).toContain('Meddelelse af aftale: <strong>fredag 8. september 2023</strong> ("inden den 10. september 2023")');
    expect(html).toContain('læses som før søndag 10. september 2023');
  });

  it('previews the calculated quotas and the deadlines, with the Sunday shift explained, before starting', async () => {
    const res = await h.fetch(`${h.baseUrl}/sager/ny/refugeeQuota`, { method: 'POST', body: new URLSearchParams({ ...baseForm('00000000-0000-4000-8000-000000000001'), intent: 'preview' }) });
    expect(res.status).toBe(200);
    const html = await res.text();
    // The calculated share of the quota with a decimal comma ("13,27"), never "13.270000".
    expect(html).toMatch(/<td>Odense<\/td><td>461<\/td><td>\d+,\d\d<\/td><td>13<\/td>/);
    expect(html).toMatch(/<td>Fanø<\/td><td>563<\/td><td>\d+,\d\d<\/td><td>1<\/td>/);
    expect(html).toContain('<th scope="row">I alt</th><td></td><td></td><td>125</td>');
    expect(html).toContain('mandag 11. september 2023');
    expect(html).toContain('søndag 10. september 2023');
    // A preview starts nothing: no case under the ID this request would have created (other test files
    // share the database, so count by the case ID, not by title).
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM case_summary WHERE case_id = $1', [caseIdFor('FLY', '00000000-0000-4000-8000-000000000001')]);
    expect(rows[0].n).toBe(0);
  });

  it('starts the case from the form and offers the secretariat its open steps on the case page', { timeout: 120_000 }, async () => {
    const requestId = '00000000-0000-4000-8000-000000000002';
    const form = {
      ...baseForm(requestId),
      quotaYear: '2028',
      'dl-agreement-wording': 'inden den 10. september 2027',
      'dl-agreement-date': '2027-09-10',
      'dl-fallback-wording': 'inden den 30. september 2027',
      'dl-fallback-date': '2027-09-30',
      agencyQuotas: pastedQuotas(),
      intent: 'start',
    };
    const res = await h.fetch(`${h.baseUrl}/sager/ny/refugeeQuota`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    const caseId = decodeURIComponent(location.split('/').pop()!);
    const page = await waitFor(async () => {
      const html = await (await h.fetch(`${h.baseUrl}${location}`)).text();
      return html.includes('Kommunernes tilbagemelding på fordelingen') ? html : undefined;
    }, 60_000, 'the case page to show the positions round');
    expect(page).toContain('Forlæng en frist');
    expect(page).toContain('Træk sagen tilbage');
    expect(page).toContain('0 af 22 har svaret');
    // The deadlines are on their own tab of the case page.
    const deadlines = await (await h.fetch(`${h.baseUrl}${location}?fane=frister`)).text();
    expect(deadlines).toContain('fredag 10. september 2027');

    const withdrawn = await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(caseId)}/handlinger/withdraw`, {
      method: 'POST',
      body: new URLSearchParams({ reason: 'Oprettet ved en fejl' }),
      redirect: 'manual',
    });
    expect(withdrawn.status).toBe(303);
    await waitFor(async () => {
      const { rows } = await h.pool.query('SELECT status FROM case_summary WHERE case_id = $1', [caseId]);
      return rows[0]?.status === 'withdrawn';
    }, 30_000, 'withdrawal');
    const after = await (await h.fetch(`${h.baseUrl}${location}`)).text();
    expect(after).toContain('Sagen er trukket tilbage. Begrundelse: Oprettet ved en fejl');
    expect(after).not.toContain('Træk sagen tilbage</summary>');
  });
});
