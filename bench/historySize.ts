/**
 * `npm run bench:history [-- --base <git revision>]`: what the recorded histories (test/histories/*.json) weigh
 * — events, bytes of the history JSON, and the payload bytes the workflow sent and received, split into the
 * read-model writes (recordCaseChange) and the rest. With --base, the same figures for the histories stored at
 * that revision, and the ratio. Nothing is timed; the figures are sizes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Payload = { data?: string };
type Event = Record<string, { input?: { payloads?: Payload[] }; result?: { payloads?: Payload[] }; activityType?: { name: string } } | unknown>;

interface Weight {
  events: number;
  jsonBytes: number;
  payloadBytes: number;
  readModelBytes: number;
}

const bytes = (ps: Payload[] | undefined) => (ps ?? []).reduce((n, p) => n + Buffer.from(p.data ?? '', 'base64').length, 0);

function weigh(json: string): Weight {
  const events = (JSON.parse(json) as { events: Event[] }).events;
  let payloadBytes = 0;
  let readModelBytes = 0;
  for (const e of events) {
    for (const [k, v] of Object.entries(e)) {
      if (!k.endsWith('Attributes') || !v || typeof v !== 'object') continue;
      const a = v as { input?: { payloads?: Payload[] }; result?: { payloads?: Payload[] }; activityType?: { name: string }; acceptedRequest?: { input?: { args?: { payloads?: Payload[] } } }; outcome?: { success?: { payloads?: Payload[] } } };
      const n = bytes(a.input?.payloads) + bytes(a.result?.payloads) + bytes(a.acceptedRequest?.input?.args?.payloads) + bytes(a.outcome?.success?.payloads);
      payloadBytes += n;
      if (a.activityType?.name === 'recordCaseChange') readModelBytes += n;
    }
  }
  return { events: events.length, jsonBytes: Buffer.byteLength(json), payloadBytes, readModelBytes };
}

// --dir <folder>: weigh histories recorded elsewhere (KKR_RECORD_HISTORIES_DIR) against --base's stored ones.
const dirAt = process.argv.indexOf('--dir');
const dir = dirAt > 0 ? path.resolve(process.argv[dirAt + 1]!) : path.join(__dirname, '..', 'test', 'histories');
const baseAt = process.argv.indexOf('--base');
const base = baseAt > 0 ? process.argv[baseAt + 1] : undefined;
const baseOf = (file: string): Weight | undefined => {
  if (!base) return undefined;
  try {
    return weigh(execFileSync('git', ['show', `${base}:test/histories/${file}`], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return undefined;
  }
};

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const rows: string[] = [];
const total = { now: { events: 0, jsonBytes: 0, payloadBytes: 0, readModelBytes: 0 }, base: { events: 0, jsonBytes: 0, payloadBytes: 0, readModelBytes: 0 } };
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'query-sizes.json').sort()) {
  const now = weigh(readFileSync(path.join(dir, file), 'utf8'));
  const was = baseOf(file);
  for (const k of Object.keys(now) as (keyof Weight)[]) {
    total.now[k] += now[k];
    if (was) total.base[k] += was[k];
  }
  const cell = (k: keyof Weight, f: (n: number) => string) => (was ? `${f(was[k])} → ${f(now[k])}` : f(now[k]));
  rows.push(`| ${file.replace(/\.json$/, '')} | ${cell('events', String)} | ${cell('jsonBytes', kb)} | ${cell('payloadBytes', kb)} | ${cell('readModelBytes', kb)} |`);
}
console.log(`| History | Events | History JSON | Payloads | of which read-model writes |\n|---|---|---|---|---|\n${rows.join('\n')}`);
const ratio = (k: keyof Weight) => (base && total.base[k] ? ` (${(total.now[k] / total.base[k]).toFixed(2)}× of ${base})` : '');
console.log(`\nAll: ${total.now.events} events${ratio('events')}, history JSON ${kb(total.now.jsonBytes)}${ratio('jsonBytes')}, payloads ${kb(total.now.payloadBytes)}${ratio('payloadBytes')}, read-model writes ${kb(total.now.readModelBytes)} = ${((100 * total.now.readModelBytes) / Math.max(1, total.now.payloadBytes)).toFixed(0)} % of payloads${ratio('readModelBytes')}.`);

// The case Query at the end of each recorded walk (written when the histories are recorded).
try {
  const sizes = JSON.parse(readFileSync(dirAt > 0 ? path.join(dir, 'query-sizes.json') : path.join(__dirname, '..', 'docs', 'query-sizes.json'), 'utf8')) as Record<string, { queryBytes: number; withJournalBytes: number; journalEntries: number }>;
  console.log(`\n| Case at the end of | Journal entries | Query response | with the journal inside (as before) |\n|---|---|---|---|`);
  for (const [name, s] of Object.entries(sizes).sort()) console.log(`| ${name} | ${s.journalEntries} | ${kb(s.queryBytes)} | ${kb(s.withJournalBytes)} |`);
} catch {
  // No sizes recorded yet.
}
