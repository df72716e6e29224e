/**
 * Seeds the directory with the municipalities of the country (from the 2024 quota annex) and Region
 * Syddanmark, once. The contact addresses are placeholders under the reserved .example domain, so nothing
 * reaches a real municipality until the secretariat enters the real addresses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { withTransaction } from './pool';
import { parseMunicipalitiesCsv } from '../domain/municipalities';

const CSV = path.join(__dirname, '..', 'data', 'municipalities-2024.csv');

export function placeholderEmail(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `sagsbehandler@${slug}.kommune.example`;
}

export async function seedDirectory(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM directory_party');
  if (Number(rows[0]!.n) > 0) return 0;
  const municipalities = parseMunicipalitiesCsv(readFileSync(CSV, 'utf8'));
  await withTransaction(pool, async (client) => {
    for (const m of municipalities) {
      await client.query(
        `INSERT INTO directory_party (party_id, kind, kommunenr, name, region, population, contacts)
         VALUES ($1, 'municipality', $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [String(m.kommunenr), m.kommunenr, m.name, m.region, m.population, JSON.stringify({ default: [placeholderEmail(m.name)] })],
      );
    }
    await client.query(
      `INSERT INTO directory_party (party_id, kind, name, region, contacts)
       VALUES ('region-syddanmark', 'region', 'Region Syddanmark', 'Region Syddanmark', $1) ON CONFLICT DO NOTHING`,
      [JSON.stringify({ default: ['sagsbehandler@regionsyddanmark.example'] })],
    );
  });
  return municipalities.length + 1;
}
