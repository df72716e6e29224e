/**
 * The generic start forms (drawn from each procedure's zod schema) and the step forms on the case page, for the
 * central announcement, the capacity change and the closure of a tilbud: what a secretariat user does in the
 * browser without JavaScript, here as the same form posts against the real servers.
 */
import { bodyName } from '../../domain/bodies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unescapeHtml } from '../support/cases';
import { startHarness, waitFor, type Harness } from '../support/harness';
import type { CaughtMessage } from '../../deploy/mailCatcher';
import { inflateRawSync } from 'node:zlib';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const post = (path: string, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return h.fetch(`${h.baseUrl}${path}`, { method: 'POST', body, redirect: 'manual' });
};
const unescape = unescapeHtml;
const page = async (path: string) => unescape(await (await h.fetch(`${h.baseUrl}${path}`)).text());
const requestIdOf = (html: string) => /name="requestId" value="([0-9a-f-]{36})"/.exec(html)![1]!;
const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Posts a step form from the case page and waits until the case page no longer offers it (the step ran). */
async function step(caseId: string, action: string, form: Record<string, string>): Promise<string> {
  const res = await post(`/sager/${encodeURIComponent(caseId)}/handlinger/${action}`, form);
  if (res.status !== 303) throw new Error(`${action}: ${res.status} ${await res.text()}`);
  return page(`/sager/${encodeURIComponent(caseId)}`);
}
const untilPage = (caseId: string, pred: (html: string) => boolean, what: string) =>
  waitFor(async () => {
    const html = await page(`/sager/${encodeURIComponent(caseId)}`);
    return pred(html) ? html : undefined;
  }, 60_000, what);
const offers = (html: string, action: string) => html.includes(`/handlinger/${action}"`);
const approve = (caseId: string, chain: string) => step(caseId, 'recordDecision', { chain, outcome: 'approved', meetingDate: isoDate(0) });
/** The chain the case page offers to record a decision of this body in ("<option value="sdf">…: Socialdirektørforum"), if any. */
const chainAwaiting = (page: string, body: string): string | undefined =>
  new RegExp(`<option value="([^"]+)"[^>]*>[^<]*: ${bodyName(body).replace(/[()]/g, (c) => `\\${c}`)}`).exec(page)?.[1];

/** Reads a ZIP (central directory, deflate) into name → text, to check the bundle as a records system would. */
function unzip(buf: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < buf.readUInt16LE(end + 10); i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

function centralForm(requestId: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    requestId,
    title: 'Børn og unge med alvorlig synsnedsættelse',
    targetGroup: 'Børn og unge med alvorlig synsnedsættelse og deraf manglende læsesyn',
    issuedBy: 'Social- og Boligstyrelsen',
    announcementDate: isoDate(-1),
    request: 'Hvordan koordineres indsatsen for målgruppen i dag, og hvilke udfordringer ser I?',
    collectionPartyIds: ['561'],
    'collectionDeadline.wording': 'senest om tre uger',
    'collectionDeadline.rule': 'generalShift',
    'collectionDeadline.nominalDate': isoDate(21),
    'submissionDeadline.wording': 'senest om et halvt år',
    'submissionDeadline.rule': 'noShift',
    'submissionDeadline.nominalDate': isoDate(180),
    'ratificationDeadline.wording': '',
    'ratificationDeadline.nominalDate': '',
    boardEmail: 'udmelding@sbst.example',
    ...overrides,
  };
}

describe('central announcement from the web pages', () => {
  it('names each wrong field in Danish next to it, keeps what was typed and starts nothing', async () => {
    const form = await page('/sager/ny/centralAnnouncement');
    expect(form).toContain('<label class="form-label" for="title">Udmeldingens titel</label>');
    expect(form).toContain('id="collectionPartyIds-561"');
    const res = await post('/sager/ny/centralAnnouncement', centralForm(requestIdOf(form), { title: 'Kort', boardEmail: 'ikke en adresse', collectionPartyIds: [], intent: 'start' }));
    expect(res.status).toBe(400);
    const html = unescape(await res.text());
    expect(html).toMatch(/id="title-fejl"><span class="sr-only">Fejl: <\/span>Udmeldingens titel: skal være mindst 5 tegn/);
    // The API's field names ('Feltet "title"') stay out of the form: the label says which field.
    expect(html).not.toContain('Feltet "');
    expect(html).toMatch(/id="boardEmail-fejl"><span class="sr-only">Fejl: <\/span>Styrelsens e-mailadresse: \S/);
    expect(html).toMatch(/Parter i dataindsamlingen: vælg mindst én part/);
    expect(html).toContain('value="ikke en adresse"');
    expect(html).toContain('Hvordan koordineres indsatsen');
    const { rows } = await h.pool.query("SELECT count(*)::int AS n FROM case_summary WHERE title LIKE 'Central udmelding: Kort%'");
    expect(rows[0].n).toBe(0);
  });

  it('previews the deadlines and the meetings, then runs collection, draft, SDF → K22 → KKR and submission from the pages', { timeout: 240_000 }, async () => {
    const requestId = requestIdOf(await page('/sager/ny/centralAnnouncement'));
    // A Saturday submission date with the board's fixed date kept, and the general rule on the collection.
    const preview = await post('/sager/ny/centralAnnouncement', centralForm(requestId, { 'submissionDeadline.nominalDate': '2031-03-01', 'submissionDeadline.wording': 'senest 1. marts 2031', intent: 'preview' }));
    const pv = unescape(await preview.text());
    expect(preview.status).toBe(200);
    expect(pv).toContain('Indsendelse til styrelsen: <strong>lørdag 1. marts 2031</strong>');
    expect(pv).toContain('<td>Esbjerg</td>');
    expect(pv).toContain('Møder i den politiske kalender før fristen');
    expect((await h.pool.query('SELECT count(*)::int AS n FROM case_summary WHERE case_id LIKE $1', [`%${requestId}%`])).rows[0].n).toBe(0);

    const started = await post('/sager/ny/centralAnnouncement', centralForm(requestId, { intent: 'start' }));
    expect(started.status).toBe(303);
    const again = await post('/sager/ny/centralAnnouncement', centralForm(requestId, { intent: 'start' }));
    expect(again.headers.get('location')).toBe(started.headers.get('location'));
    const caseId = decodeURIComponent(started.headers.get('location')!.split('/').pop()!);

    // Esbjerg answers through the link in its e-mail; the draft step opens as soon as all have answered.
    const [invite] = await h.waitForMail((m: CaughtMessage) => m.text.includes(caseId) && m.to.includes('esbjerg'), 1, 60_000);
    const link = /http:\/\/127\.0\.0\.1(?::\d+)?(\/svar\/[A-Za-z0-9_.-]+)/.exec(invite!.text)![1]!;
    const answered = await post(link, { text: 'Esbjerg koordinerer gennem Pædagogisk Enhed og har en formel aftale med regionen.' });
    expect(await answered.text()).toContain('Tak for svaret');
    let html = await untilPage(caseId, (x) => offers(x, 'recordDraft'), 'the draft step');
    expect(html).toContain('Registrér udkast til afrapportering');

    html = await step(caseId, 'recordDraft', { text: 'Udkast: Syddanmark koordinerer indsatsen gennem de kommunikationscentre, der svarede.' });
    html = await untilPage(caseId, (x) => x.includes('SDF|') || x.includes('Socialdirektørforum'), 'SDF treatment');
    for (const body of ['SDF', 'K22', 'KKR']) {
      const current = await untilPage(caseId, (x) => !!chainAwaiting(x, body), `${body} step`);
      await approve(caseId, chainAwaiting(current, body)!);
    }
    html = await untilPage(caseId, (x) => offers(x, 'submitReport'), 'the submission step');
    expect(offers(html, 'recordDraft')).toBe(false);
    await step(caseId, 'submitReport', {});
    const [sent] = await h.waitForMail((m) => m.to.includes('udmelding@sbst.example') && m.text.includes(caseId), 1, 60_000);
    expect(sent!.subject).toContain('Børn og unge med alvorlig synsnedsættelse');
    expect(sent!.attachments.length).toBeGreaterThan(0);
    html = await untilPage(caseId, (x) => x.includes('Indsendt'), 'submitted');
    expect(offers(html, 'submitReport')).toBe(false);
    // The timeline of stages, oldest first, the current one marked.
    const timeline = /<ol class="timeline">([^]*?)<\/ol>/.exec(html)![1]!;
    const stages = [...timeline.matchAll(/<\/span> ([^<]+)<\/li>/g)].map((m) => m[1]);
    expect(stages.slice(0, 3)).toEqual(['Oprettet', 'Dataindsamling', 'Udarbejdelse af udkast til afrapportering']);
    expect(timeline).toMatch(/<li aria-current="step">[^]*Indsendt<\/li>\s*$/);

    // The journal as a bundle: an index (HTML and CSV) and every document, for aktindsigt and filing.
    const res = await h.fetch(`${h.baseUrl}/sager/${encodeURIComponent(caseId)}/journal.zip`);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzip(Buffer.from(await res.arrayBuffer()));
    const csv = files.get('journal.csv')!;
    expect(csv.split('\r\n')[0]).toBe('\uFEFFNr.;Tidspunkt;Beskrivelse;Aktør;Dokumenter');
    // Times in Danish time, as the case officer saw them on the page (no UTC "Z" instants).
    const first = await h.pool.query<{ at: Date }>('SELECT min(at) AS at FROM case_journal WHERE case_id = $1', [caseId]);
    const copenhagen = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', dateStyle: 'short', timeStyle: 'medium' }).format(first.rows[0]!.at);
    expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^001;${copenhagen};`));
    expect(csv).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(csv).toContain('Afrapporteringen er indsendt');
    const docs = [...files.keys()].filter((n) => n.startsWith('dokumenter/'));
    expect(docs.some((n) => n.includes('Udkast til afrapportering'))).toBe(true);
    expect(files.get(docs.find((n) => n.includes('Udkast til afrapportering'))!)).toContain('Syddanmark koordinerer indsatsen');
    expect(files.get('journal.html')).toContain(`Journal for sag ${caseId}`);
  });
});

describe('capacity change from the web pages', () => {
  it('previews the route and the report deadline, then runs the statement, report and decision from the pages', { timeout: 240_000 }, async () => {
    const form = await page('/sager/ny/capacityChange');
    expect(form).toContain('Ændringens art');
    const requestId = requestIdOf(form);
    const effective = isoDate(240);
    const values = {
      requestId,
      operatorPartyId: '461',
      tilbudId: '',
      tilbudName: 'Bostedet Ved Åen',
      targetGroup: 'Voksne med erhvervet hjerneskade',
      kind: 'adjust',
      currentPlaces: '20',
      newPlaces: '30',
      effectiveDate: effective,
      politicalTreatmentDate: '',
      justifications: '',
      otherUserMunicipalityPartyIds: '',
    };
    // Missing justifications: the error names the rows of Tabel 4.1 that must be answered.
    const bad = await post('/sager/ny/capacityChange', { ...values, intent: 'preview' });
    expect(bad.status).toBe(400);
    const badText = unescape(await bad.text());
    expect(badText).toMatch(/id="justifications-fejl"><span class="sr-only">Fejl: <\/span>Begrundelser efter tabel 4.1: skal indeholde \d begrundelse/);
    const preview = await post('/sager/ny/capacityChange', { ...values, justifications: 'x', intent: 'preview' });
    const pvHtml = unescape(await preview.text());
    const count = Number(/skal indeholde (\d) begrundelse/.exec(pvHtml)![1]);
    const justifications = Array.from({ length: count }, (_, i) => `Begrundelse nummer ${i + 1} for udvidelsen af tilbuddet`).join('\n');
    const good = await post('/sager/ny/capacityChange', { ...values, justifications, intent: 'preview' });
    expect(good.status).toBe(200);
    const pv = unescape(await good.text());
    expect(pv).toContain('Oprettelse af pladser ud over den frie grænse (20 → 30 pladser, ændring +10; frit kan ændres ±5)');
    expect(pv).toContain('Indberetning af ændringen: <strong>');

    const started = await post('/sager/ny/capacityChange', { ...values, justifications, intent: 'start' });
    expect(started.status).toBe(303);
    const caseId = decodeURIComponent(started.headers.get('location')!.split('/').pop()!);
    let html = await untilPage(caseId, (x) => !!chainAwaiting(x, 'SDF'), 'the SDF statement');
    expect(offers(html, 'submitReport')).toBe(true);
    expect(offers(html, 'recordTemporaryStaffing')).toBe(true);
    await approve(caseId, chainAwaiting(html, 'SDF')!);
    await step(caseId, 'submitReport', { text: 'Indberetning: Odense udvider Bostedet Ved Åen med 10 pladser.' });
    html = await untilPage(caseId, (x) => offers(x, 'recordPoliticalDecision') && !offers(x, 'submitReport'), 'the political decision step');
    await step(caseId, 'recordPoliticalDecision', { approved: 'yes', meetingDate: isoDate(0) });
    html = await untilPage(caseId, (x) => x.includes('Vedtaget – afventer ikrafttræden'), 'adopted');
    expect(offers(html, 'recordPoliticalDecision')).toBe(false);
  });
});

describe('closure of a tilbud from the web pages', () => {
  const beregningseksempel1 = (requestId: string) => ({
    requestId,
    tilbudName: 'Botilbuddet Skovly',
    operatorPartyId: '461',
    operatorType: 'municipal',
    classification: 'closure',
    reason: 'Faldende efterspørgsel gennem tre år; pladserne kan dækkes af andre tilbud i regionen.',
    structure: 'standalone',
    'standaloneConditions.separateBudget': 'yes',
    'standaloneConditions.ownTakster': 'yes',
    'standaloneConditions.documentedCostKey': 'yes',
    turnoverDecisionYear: '20.000.000',
    otherUnitsTurnoverDecisionYear: '',
    'payers.0.partyId': '461',
    'payers.0.turnoverYearMinus2': '1.650.000',
    'payers.0.turnoverYearMinus1': '1.650.000',
    'payers.1.partyId': '479',
    'payers.1.turnoverYearMinus2': '2.000.000',
    'payers.1.turnoverYearMinus1': '2.000.000',
    'payers.2.partyId': '621',
    'payers.2.turnoverYearMinus2': '1.350.000',
    'payers.2.turnoverYearMinus1': '1.350.000',
    'payers.3.partyId': '',
    'payers.3.turnoverYearMinus2': '',
    'payers.3.turnoverYearMinus1': '',
    actingMunicipalities: '479\n621',
    fuRecipients: 'fu@kkr-syddanmark.example',
    noticeReading: 'runningMonthPlus',
  });

  it('defaults to an economic unit and takes a standalone tilbud only with its three conditions confirmed', async () => {
    const form = unescape(await page('/sager/ny/closure'));
    expect(form).toMatch(/<option value="economicUnit" selected>|value="economicUnit"[^>]*checked/);
    const requestId = requestIdOf(form);
    const { 'standaloneConditions.ownTakster': _dropped, ...withoutOwnTakster } = beregningseksempel1(requestId);
    const cases = async () => Number((await h.pool.query("SELECT count(*) AS n FROM case_summary WHERE procedure = 'closure'")).rows[0].n);
    const before = await cases();
    const refused = await post('/sager/ny/closure', { ...withoutOwnTakster, intent: 'start' });
    expect(refused.status).toBe(400);
    const text = unescape(await refused.text());
    expect(text).toContain('Et tilbud kan kun behandles som selvstændigt, når det har et selvstændigt budget med egne takster og en dokumenteret fordelingsnøgle');
    // Named by its label, never by its path.
    expect(text).toContain('Betingelser for et selvstændigt tilbud');
    expect(text).not.toMatch(/standaloneConditions[:.]\s/);
    // Nothing was started.
    expect(await cases()).toBe(before);
  });

  it('previews the distribution key of Beregningseksempel 1 and runs hearing, decision and the provisional account from the pages', { timeout: 240_000 }, async () => {
    const requestId = requestIdOf(await page('/sager/ny/closure'));
    const bad = await post('/sager/ny/closure', { ...beregningseksempel1(requestId), 'payers.1.turnoverYearMinus2': 'to millioner', intent: 'preview' });
    expect(bad.status).toBe(400);
    const badHtml = unescape(await bad.text());
    expect(badHtml).toMatch(/id="payers-1-turnoverYearMinus2-fejl"><span class="sr-only">Fejl: <\/span>Omsætning to år før beslutningsåret \(kr.\): Betalingskommunens omsætning to år før beslutningsåret/);
    expect(badHtml).toContain('value="to millioner"');

    const preview = await post('/sager/ny/closure', { ...beregningseksempel1(requestId), intent: 'preview' });
    expect(preview.status).toBe(200);
    const pv = unescape(await preview.text());
    // A deficit of 10 % of the turnover: 5 % own risk, the rest by the two-year key (33 / 40 / 27 %).
    expect(pv).toContain('et underskud på 2.000.000 kr.');
    // Each payer's amount and its share of what is distributed, as a percentage.
    expect(pv).toContain('<td>Andel: Odense</td><td>330.000 kr.</td><td>33,0 %</td>');
    expect(pv).toContain('<td>Andel: Svendborg</td><td>400.000 kr.</td><td>40,0 %</td>');
    expect(pv).toContain('<td>Andel: Kolding</td><td>270.000 kr.</td><td>27,0 %</td>');

    const started = await post('/sager/ny/closure', { ...beregningseksempel1(requestId), intent: 'start' });
    expect(started.status).toBe(303);
    const caseId = decodeURIComponent(started.headers.get('location')!.split('/').pop()!);
    let html = await untilPage(caseId, (x) => !!chainAwaiting(x, 'SDF'), 'the SDF hearing');
    expect(offers(html, 'recordSettlementBasis')).toBe(true);
    expect(offers(html, 'recordClosureDecision')).toBe(false);
    await approve(caseId, chainAwaiting(html, 'SDF')!);
    html = await untilPage(caseId, (x) => offers(x, 'recordClosureDecision'), 'the decision step');
    // A closing date before the decision is refused with the workflow's reason, and nothing changes.
    // A wrong field: the case page with the step's form open, the error next to the field, the input kept.
    const wrong = await post(`/sager/${encodeURIComponent(caseId)}/handlinger/recordClosureDecision`, { decisionDate: 'i går', closingDate: isoDate(120) });
    expect(wrong.status).toBe(400);
    const wrongPage = unescape(await wrong.text());
    expect(wrongPage).toContain('<details class="action" id="handling-recordClosureDecision" open>');
    expect(wrongPage).toContain('id="recordClosureDecision-decisionDate-fejl"');
    expect(wrongPage).toContain('value="i går"');
    const refused = await post(`/sager/${encodeURIComponent(caseId)}/handlinger/recordClosureDecision`, { decisionDate: isoDate(0), closingDate: isoDate(-30) });
    expect(refused.status).toBe(409);
    // Not a dead end: the case page again, the step's form open with the reason and the dates as typed.
    const refusedPage = unescape(await refused.text());
    expect(refusedPage).toMatch(/Lukkedato/i);
    expect(refusedPage).toContain('<h2 id="resume">Sagen kort</h2>');
    expect(refusedPage).toContain('<details class="action" id="handling-recordClosureDecision" open>');
    expect(refusedPage).toMatch(/<p class="alert-heading" id="fejl-titel">Handlingen blev ikke udført<\/p>[^]*Lukkedato/i);
    expect(refusedPage).toContain(`name="closingDate" value="${isoDate(-30)}"`);
    await step(caseId, 'recordClosureDecision', { decisionDate: isoDate(0), closingDate: isoDate(120) });
    html = await untilPage(caseId, (x) => offers(x, 'submitProvisionalAccount'), 'the provisional account step');
    expect(html).toContain('Foreløbigt lukkeregnskab');
    await step(caseId, 'submitProvisionalAccount', { income: '18.000.000', costs: '20.000.000', carriedForward: '0' });
    html = await untilPage(caseId, (x) => !offers(x, 'submitProvisionalAccount'), 'the provisional account received');
    expect(html).toMatch(/foreløbige lukkeregnskab/i);
  });
});
