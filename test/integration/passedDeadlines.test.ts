/**
 * A deadline already passed when a case starts is refused with the Danish reason, and nothing starts; a case
 * registered while already under way starts, and its invitations say the deadline has passed instead of
 * presenting it as one still ahead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { centralAnnouncementInput, isoDay, workingDay } from '../support/cases';
import { formatDanishDate } from '../../domain/calendar/format';
import type { PlainDate } from '../../domain/calendar/plainDate';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const start = (input: unknown) =>
  h.fetch(`${h.baseUrl}/api/v1/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ procedure: 'centralAnnouncement', requestId: randomUUID(), input }),
  });

describe('deadlines already passed at start', () => {
  it('refuses a passed collection deadline unless the case is registered as already under way', { timeout: 90_000 }, async () => {
    const title = `Overskredet ved start ${randomUUID().slice(0, 6)}`;
    const passed = workingDay(-2);
    const refused = await start(centralAnnouncementInput(title, ['461'], { collectionDue: passed, announced: isoDay(-30) }));
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { fields: { field: string; reason: string }[] };
    expect(body.fields.map((f) => f.reason)).toContain(
      `Frist for dataindsamlingen: fristen (${formatDanishDate(passed as PlainDate)}) er allerede overskredet. Vælg en frist i dag eller senere, eller markér, at sagen allerede er i gang og registreres efterfølgende.`,
    );
    expect((await h.pool.query('SELECT 1 FROM case_summary WHERE title LIKE $1', [`%${title}%`])).rowCount).toBe(0);

    const started = await start(centralAnnouncementInput(title, ['461'], { collectionDue: passed, announced: isoDay(-30), alreadyUnderway: true }));
    expect(started.status).toBe(201);
    const { caseId } = (await started.json()) as { caseId: string };
    const [invitation] = await h.waitForMail((m) => m.text.includes(caseId), 1, 60_000);
    expect(invitation!.text).toContain(`Fristen udløb ${formatDanishDate(passed as PlainDate)} kl. 23.59 (dansk tid) og er overskredet.`);
    expect(invitation!.text).not.toContain('Fristen udløber');
  });

  it('refuses a capacity change effective before today', async () => {
    const yesterday = isoDay(-1);
    const res = await h.fetch(`${h.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        procedure: 'capacityChange',
        requestId: randomUUID(),
        input: { operatorPartyId: '630', tilbudName: 'Bofællesskabet Tilbage', targetGroup: 'Voksne med udviklingshæmning', kind: 'adjust', currentPlaces: 40, newPlaces: 41, effectiveDate: yesterday, justifications: [] },
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { fields: { field: string; reason: string }[] };
    expect(body.fields.find((f) => f.field === 'effectiveDate')?.reason).toBe(
      `Dato hvor ændringen træder i kraft: ${formatDanishDate(yesterday as PlainDate)} er overskredet. En kapacitetsændring skal behandles, før den træder i kraft; vælg dagens dato eller senere.`,
    );
    expect((await h.pool.query("SELECT 1 FROM case_summary WHERE title LIKE '%Bofællesskabet Tilbage%'")).rowCount).toBe(0);
  });
});
