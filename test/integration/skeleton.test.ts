/**
 * The walking skeleton through every layer against the real servers: a web form starts a Temporal workflow,
 * whose activities write the case to PostgreSQL and send e-mail over SMTP, and the case shows on the
 * dashboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function formRequestId(): Promise<string> {
  const page = await (await h.fetch(`${h.baseUrl}/sager/ny/orientation`)).text();
  const m = /name="requestId" value="([0-9a-f-]{36})"/.exec(page);
  expect(m, 'the form carries a request id').toBeTruthy();
  return m![1]!;
}

function postForm(fields: [string, string][]) {
  return h.fetch(`${h.baseUrl}/sager/ny/orientation`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

describe('walking skeleton: orientation of the municipalities', () => {
  it('reports every component healthy', async () => {
    const res = await h.fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', components: { temporal: 'ok', postgres: 'ok', smtp: 'ok' } });
  });

  it('starts from the form, e-mails each party once, and shows the case on the dashboard', async () => {
    const title = `Nye pladser til unge med autisme ${Date.now()}`;
    const requestId = await formRequestId();
    const fields: [string, string][] = [
      ['requestId', requestId],
      ['title', title],
      ['message', 'Odense Kommune opretter 12 nye pladser, som forventes at påvirke efterspørgslen i Kolding.'],
      ['partyIds', '461'],
      ['partyIds', '621'],
    ];
    const first = await postForm(fields);
    expect(first.status).toBe(303);
    const location = first.headers.get('location')!;
    const caseId = decodeURIComponent(location.split('/').pop()!);
    expect(caseId).toMatch(/^ORI-\d{4}-[0-9A-F]{10}$/);

    // A double submit (the user presses the button twice) names the same case and starts nothing new.
    const second = await postForm(fields);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(location);

    const mails = await h.waitForMail((m) => m.subject === `Orientering: ${title}`, 2);
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(['sagsbehandler@kolding.kommune.example', 'sagsbehandler@odense.kommune.example']);
    for (const m of mails) {
      expect(m.text).toContain(caseId);
      expect(m.text).toContain(`http://127.0.0.1/sager/${caseId}`);
      expect(m.html).toContain('<html lang="da">');
    }

    await waitFor(async () => {
      const { rows } = await h.pool.query("SELECT stage, status FROM case_summary WHERE case_id = $1 AND status = 'completed'", [caseId]);
      return rows[0];
    }, 30_000, 'the case to complete in the read model');
    const dashboard = await (await h.fetch(`${h.baseUrl}/`)).text();
    const row = new RegExp(`<tr data-case-id="${caseId}">[\\s\\S]*?</tr>`).exec(dashboard)?.[0] ?? '';
    expect(row).toContain(title);
    expect(row).toContain('Orienteret');
    expect(row).toContain('Afsluttet');

    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM case_summary WHERE title = $1', [title]);
    expect(rows[0].n).toBe(1);
    const journal = await h.pool.query('SELECT description FROM case_journal WHERE case_id = $1 ORDER BY entry_key', [caseId]);
    expect(journal.rows.map((r) => r.description)).toEqual([`Sag oprettet: ${title}`, 'Orientering sendt til 2 parter (2 e-mails)']);
    // No further e-mails for the double submit.
    await new Promise((r) => setTimeout(r, 500));
    expect((await h.mail()).filter((m) => m.subject === `Orientering: ${title}`)).toHaveLength(2);

    const casePage = await (await h.fetch(`${h.baseUrl}${location}`)).text();
    expect(casePage).toContain('Orientering sendt til 2 parter');
    // The parties are on the case page's Svar tab.
    const answers = await (await h.fetch(`${h.baseUrl}${location}?fane=svar`)).text();
    expect(answers).toContain('Kolding');
  });

  it('rejects bad input with Danish errors next to the fields, keeps what was typed, and creates nothing', async () => {
    const before = (await h.pool.query('SELECT count(*)::int AS n FROM case_summary')).rows[0].n;
    const res = await postForm([
      ['requestId', await formRequestId()],
      ['title', 'Kort'],
      ['message', 'Dette er en længere tekst, der skal bevares'],
    ]);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Titel: Titlen skal være mindst 5 tegn');
    expect(page).toContain('Modtagere: Vælg mindst én modtager');
    expect(page).toContain('Dette er en længere tekst, der skal bevares');
    expect(page).toContain('value="Kort"');
    expect((await h.pool.query('SELECT count(*)::int AS n FROM case_summary')).rows[0].n).toBe(before);
  });

  it('offers the same through the JSON API, with 400 and a field list on bad input', async () => {
    const bad = await h.fetch(`${h.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedure: 'orientation', input: { title: 'x', partyIds: ['999999'] } }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { fields: { field: string; reason: string }[] };
    expect(body.fields.map((f) => f.field).sort()).toEqual(['message', 'title']);

    const unknownParty = await h.fetch(`${h.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedure: 'orientation', input: { title: 'Orientering om lukning', message: 'En længere orientering.', partyIds: ['999999'] } }),
    });
    expect(unknownParty.status).toBe(400);

    const ok = await h.fetch(`${h.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `api-${Date.now()}` },
      body: JSON.stringify({ procedure: 'orientation', input: { title: 'Orientering via API', message: 'Sendt fra et andet system.', partyIds: ['region-syddanmark'] } }),
    });
    expect(ok.status).toBe(201);
    const { caseId } = (await ok.json()) as { caseId: string };
    const detail = await waitFor(async () => {
      const r = (await (await h.fetch(`${h.baseUrl}/api/v1/cases/${caseId}`)).json()) as { status: string; journal: unknown[] };
      return r.status === 'completed' ? r : undefined;
    });
    expect(detail.journal).toHaveLength(2);
    expect((await h.fetch(`${h.baseUrl}/api/v1/cases/NOPE-1`)).status).toBe(404);
  });
});
