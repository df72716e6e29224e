/**
 * Leadership's overview against real cases: filters by deadline (overdue, within 14 days) and municipality, the CSV
 * export of the same selection, the "who is late" matrix and one municipality's cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, waitFor, type Harness } from '../support/harness';
import { isoDay, startCentralAnnouncement, unescapeHtml, workingDay } from '../support/cases';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const day = isoDay;
const unescape = unescapeHtml;
// A case with a passed deadline can only be registered as one already under way.
const startCentral = (title: string, parties: string[], collectionDue: string, announced: string) =>
  startCentralAnnouncement(h, title, parties, { collectionDue, announced, alreadyUnderway: collectionDue < isoDay(0) });


describe('leadership dashboard', () => {
  it('filters by deadline and municipality, exports CSV and shows who is late', { timeout: 120_000 }, async () => {
    const tag = randomUUID().slice(0, 6);
    // Dates from the working-day calendar, so no deadline is moved and the test reads the same on any day: the
    // late case's deadline three working days ago, the other's two working days ahead (2–6 calendar days).
    const late = await startCentral(`Forsinket ${tag}`, ['461', '621'], workingDay(-3), day(-40));
    const soon = await startCentral(`Snart ${tag}`, ['461'], workingDay(2), day(-1));
    // The late case's collection deadline has passed: both parties are late once the workflow has seen it.
    await waitFor(async () => {
      const { rows } = await h.pool.query<{ parties: { partyId: string; state: string }[] }>('SELECT parties FROM case_summary WHERE case_id = $1', [late]);
      return rows[0]?.parties.filter((p) => p.state === 'mangler svar (for sent)').length === 2;
    }, 60_000, 'both parties to be late');
    await waitFor(async () => (await h.pool.query("SELECT 1 FROM case_summary WHERE case_id = $1 AND next_due_date IS NOT NULL AND parties @> '[{\"state\": \"afventer svar\"}]'", [soon])).rowCount === 1, 60_000, 'the second case');

    const page = async (q: string) => unescape(await (await h.fetch(`${h.baseUrl}/${q}`)).text());
    // As the filter form sends it: every select, the unused ones empty.
    const overdue = await page(`?q=${tag}&procedure=&status=&party=&due=overdue`);
    expect(overdue).toContain(`Forsinket ${tag}`);
    expect(overdue).not.toContain(`Snart ${tag}`);
    expect(overdue).toContain('<p>1 sag. <a href="/sager.csv');
    const risk = await page(`?q=${tag}&due=risk`);
    expect(risk).toContain(`Snart ${tag}`);
    expect(risk).not.toContain(`Forsinket ${tag}`);
    expect(risk).toMatch(/<span class="atrisk">[2-6] dage<\/span>/);
    const kolding = await page(`?q=${tag}&party=621`);
    expect(kolding).toContain(`Forsinket ${tag}`);
    expect(kolding).not.toContain(`Snart ${tag}`);
    // The filters are kept in the form and in the CSV link.
    expect(kolding).toContain(`href="/sager.csv?party=621&q=${tag}"`);

    const csv = await (await h.fetch(`${h.baseUrl}/sager.csv?q=${tag}`)).text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Sagsnummer;Titel;Procedure;Fase;Status;Næste frist;Fristens ordlyd;Dage tilbage;Venter på;Forsinkede parter;Opdateret');
    expect(lines).toHaveLength(3);
    const lateLine = lines.find((l) => l.startsWith(late))!;
    expect(lateLine).toContain('Odense, Kolding');
    // "Opdateret" in Danish time for the spreadsheet, not a UTC instant.
    expect(lateLine).toMatch(/;\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const matrix = await page('forsinkelser');
    const row = (name: string) => new RegExp(`<th scope="row"><a href="/kommuner/\\d+">${name}</a></th>[^]*?</tr>`).exec(matrix)?.[0] ?? '';
    expect(matrix).toContain(`Snart ${tag}`);
    expect(row('Kolding')).toContain('<span class="overdue">For sent</span>');
    expect(row('Odense')).toContain('Afventer');

    const perMunicipality = await page('kommuner/621');
    expect(perMunicipality).toContain(`Forsinket ${tag}`);
    expect(perMunicipality).toContain('mangler svar (for sent)');
    expect(perMunicipality).not.toContain(`Snart ${tag}`);

    // Not for municipality contacts.
    const asOdense = await h.fetchAs('municipality', '461');
    expect((await asOdense(`${h.baseUrl}/forsinkelser`)).status).toBe(403);
    expect((await asOdense(`${h.baseUrl}/sager.csv`)).status).toBe(403);
  });

  it('counts exactly up to 10.000 cases and says "more than" above, with every page still listed', { timeout: 120_000 }, async () => {
    const tag = `Tælling ${randomUUID().slice(0, 6)}`;
    // Finished cases in the read model, as a busy year leaves them (no workflow behind them is needed for the list).
    await h.pool.query(
      `INSERT INTO case_summary (case_id, procedure, title, stage, status, parties, version)
       SELECT 'TAEL-' || $1 || '-' || g, 'orientation', $2 || ' ' || g, 'Orienteret', 'completed', '[]'::jsonb, 1 FROM generate_series(1, 10050) g`,
      [tag.slice(-6), tag],
    );
    try {
      const api = async (q: string) => (await (await h.fetch(`${h.baseUrl}/api/v1/cases?${q}`)).json()) as { items: { title: string }[]; total: number; totalIsEstimate: boolean };
      const all = await api(`q=${encodeURIComponent(tag)}`);
      expect(all.totalIsEstimate).toBe(true);
      expect(all.total).toBeGreaterThan(10_000);
      expect(all.items).toHaveLength(50);
      // 10050 ends with 50 cases "… 100xx" plus "… 1000" … "… 1009" and "… 10000": an exact, small selection.
      const few = await api(`q=${encodeURIComponent(`${tag} 1004`)}`);
      expect(few).toMatchObject({ total: 11, totalIsEstimate: false });
      // 10.050 cases are 201 full pages of 50; the last is reachable although the total is only estimated.
      expect((await api(`q=${encodeURIComponent(tag)}&page=201&pageSize=50`)).items).toHaveLength(50);
      expect((await api(`q=${encodeURIComponent(tag)}&page=202&pageSize=50`)).items).toHaveLength(0);
      const dashboard = unescape(await (await h.fetch(`${h.baseUrl}/?q=${encodeURIComponent(tag)}`)).text());
      expect(dashboard).toMatch(/<p>Flere end 10\.000 sager( \(skønnet ca\. [\d.]+\))?\. <a href/);
      // The pager follows the rows, not the estimate: "Næste" up to the last page, and not on it.
      const pagerOf = async (q: string) => /<nav aria-label="Sider"><p>([^<]*(?:<a[^>]*>[^<]*<\/a>[^<]*)*)<\/p><\/nav>/.exec(unescape(await (await h.fetch(`${h.baseUrl}/?${q}`)).text()))?.[1].replace(/\s+/g, ' ');
      const q = `q=${encodeURIComponent(tag)}`;
      expect(await pagerOf(`${q}&page=200`)).toMatch(/^Side 200 af ca\. [\d.]+ · <a href="[^"]*page=199">Forrige<\/a> · <a href="[^"]*page=201">Næste<\/a>$/);
      expect(await pagerOf(`${q}&page=201`)).toMatch(/^Side 201 af 201 · <a href="[^"]*page=200">Forrige<\/a> $/);
      // An exact count: 11 cases in pages of 5.
      const small = `q=${encodeURIComponent(`${tag} 1004`)}&pageSize=5`;
      expect(await pagerOf(`${small}&page=2`)).toMatch(/^Side 2 af 3 · <a[^>]*>Forrige<\/a> · <a href="[^"]*page=3">Næste<\/a>$/);
      expect(await pagerOf(`${small}&page=3`)).toMatch(/^Side 3 af 3 · <a[^>]*>Forrige<\/a> $/);
      expect(await api(`q=${encodeURIComponent(tag)}&page=201&pageSize=50`)).toMatchObject({ hasMore: false });
      expect(await api(`q=${encodeURIComponent(tag)}&page=200&pageSize=50`)).toMatchObject({ hasMore: true });
    } finally {
      await h.pool.query('DELETE FROM case_summary WHERE title LIKE $1', [`${tag} %`]);
    }
  });
});
