/**
 * The workflow tests: a procedure's branches on the time-skipping test server (started on a given date, as for
 * the calendar walks) with the run's shared workflow bundle, but with the activities' I/O in memory instead of
 * PostgreSQL and SMTP. What is pure (deadline plans, e-mail rendering, settlement, documents, classification)
 * is the real activity code; what would touch the database or the mail server is replaced by an in-memory
 * world that records every call:
 * - the directory (the country's municipalities and Region Syddanmark, as db/seedDirectory.ts seeds them),
 * - the political calendar and the forum recipients (the seeds of db/migrations 002 and 003),
 * - the outbox (each message once per case, step, recipient and reminder, as email_outbox's key),
 * - the read model (summaries and journal entries, the journal read back by caseState),
 * - the capacity register (tilbud rows and their history, as activities/capacity.ts keeps them).
 * The calendar walks (test/procedures) keep one walk of each procedure's main path on the real parts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { classifyPermanentFailures, PermanentInputError } from '../../activities/failures';
import { createNotifyActivities } from '../../activities/notify';
import { createDeadlineActivities } from '../../activities/deadlines';
import { createDocumentActivities } from '../../activities/documents';
import { createCapacityActivities, type RegisterPermanentInput, type RegisterTemporaryInput, type TilbudRecord } from '../../activities/capacity';
import { createClosureActivities } from '../../activities/closure';
import { createCentralAnnouncementActivities } from '../../activities/centralAnnouncement';
import { renderCaseEmail } from '../../activities/emailTemplate';
import type { createDirectoryActivities, Recipient } from '../../activities/directory';
import type { createEmailActivities, OutgoingEmail } from '../../activities/email';
import type { Activities } from '../../activities';
import type { CaseSummary, JournalEntry } from '../../contracts/caseState';
import { isDocumentRef, type StepDocument } from '../../contracts/documents';
import { memoryDocumentStore } from '../../db/documents';
import { parseMunicipalitiesCsv } from '../../domain/municipalities';
import { placeholderEmail } from '../../db/seedDirectory';
import type { CaughtMessage } from '../../deploy/mailCatcher';
import { setJournalSource, startTimeSkippingServer, type CaseJournalEntry } from './calendarHarness';
import { sharedWorkflowBundle } from './workflowBundle';

const ROOT = path.join(__dirname, '..', '..');
const SECRETARIAT = 'sekretariat@kkr-test.example';
const PUBLIC_URL = 'http://127.0.0.1';

interface Party {
  partyId: string;
  kind: 'municipality' | 'region';
  kommunenr: number | null;
  name: string;
  region: string;
  contacts: Record<string, string[]>;
}

/** The directory as db/seedDirectory.ts seeds it. */
function seededDirectory(): Party[] {
  const municipalities = parseMunicipalitiesCsv(readFileSync(path.join(ROOT, 'data', 'municipalities-2024.csv'), 'utf8'));
  return [
    ...municipalities.map((m): Party => ({ partyId: String(m.kommunenr), kind: 'municipality', kommunenr: m.kommunenr, name: m.name, region: m.region, contacts: { default: [placeholderEmail(m.name)] } })),
    { partyId: 'region-syddanmark', kind: 'region', kommunenr: null, name: 'Region Syddanmark', region: 'Region Syddanmark', contacts: { default: ['sagsbehandler@regionsyddanmark.example'] } },
  ];
}

/** The rows a migration's INSERT … VALUES seeds, as string tuples (the seeds are plain quoted literals). */
function seededRows(migration: string, table: string): string[][] {
  const sql = readFileSync(path.join(ROOT, 'db', 'migrations', migration), 'utf8');
  const insert = new RegExp(`INSERT INTO ${table} \\([^)]*\\) VALUES([\\s\\S]*?);[ \\t]*$`, 'm').exec(sql);
  if (!insert) throw new Error(`${migration}: no seed rows for ${table}`);
  // Each tuple is a parenthesised list of quoted literals (which may themselves hold parentheses).
  return [...insert[1]!.matchAll(/\(\s*((?:'(?:[^']|'')*'\s*,?\s*)+)\)/g)].map((m) => [...m[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1]!.replace(/''/g, "'")));
}

// PostgreSQL's ORDER BY kommunenr NULLS LAST, party_id.
const byKommunenr = (a: Party, b: Party) => (a.kommunenr ?? Infinity) - (b.kommunenr ?? Infinity) || (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0);

/** A row of the in-memory capacity register: the register's record (never closed here) and the case that created it. */
export type TilbudRow = Omit<TilbudRecord, 'closedOn'> & { createdByCase: string | null };

export interface CapacityHistoryRow {
  tilbudId: number;
  caseId: string;
  entryKey: string;
  kind: 'permanent' | 'temporary';
  changeDate: string;
  oldPlaces: number;
  newPlaces: number;
  reason: string;
  actor: string;
}

/** Everything the activities did, in memory. */
export class ActivityWorld {
  readonly directory = seededDirectory();
  readonly meetings = seededRows('002_political_calendar.sql', 'political_meeting').map(([body, date]) => ({ body: body!, date: date! }));
  readonly forumRecipients = seededRows('003_capacity_register.sql', 'forum_recipient').map(([body, email]) => ({ body: body!, email: email! }));
  /** Every message queued, once per (case, step, recipient, reminder), in the order queued. */
  readonly outbox: OutgoingEmail[] = [];
  readonly summaries = new Map<string, CaseSummary>();
  readonly journal: JournalEntry[] = [];
  /** The document store, in memory. */
  readonly documents = memoryDocumentStore();
  readonly attention: { caseId: string; reason: string }[] = [];
  readonly tilbud: TilbudRow[] = [];
  readonly capacityHistory: CapacityHistoryRow[] = [];
  /** Every activity call: its name, its argument and when (real time) it was made. */
  readonly calls: { name: string; input: unknown }[] = [];

  /** The messages as the mail catcher would show them (one per recipient). */
  mail(caseId?: string): CaughtMessage[] {
    return this.outbox
      .filter((m) => !caseId || m.caseId === caseId)
      .map((m, i) => ({
        id: String(i + 1),
        receivedAt: '',
        envelopeFrom: SECRETARIAT,
        envelopeTo: [m.recipient],
        subject: m.subject,
        from: `KKR Syddanmark test <${SECRETARIAT}>`,
        to: m.recipient,
        text: m.text,
        html: m.html,
        headers: {},
        attachments: (m.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      }));
  }

  /** The case's journal as the read model orders it (by entry key). */
  journalOf(caseId: string): CaseJournalEntry[] {
    // As the read model does: an inline document (a case on the old path) is kept on arrival.
    const withContent = (d: StepDocument) =>
      isDocumentRef(d)
        ? { ...d, content: this.documents.contentOf(caseId, d.id) ?? '(mangler i dokumentarkivet)' }
        : { id: '', name: d.name, mediaType: d.mediaType, sha256: '', bytes: Buffer.byteLength(d.content), content: d.content };
    return this.journal
      .filter((e) => e.caseId === caseId)
      .sort((a, b) => (a.entryKey < b.entryKey ? -1 : 1))
      .map((e) => ({ at: e.at, description: e.description, actor: e.actor, documents: e.documents.map(withContent) }));
  }

  callsOf<N extends keyof Activities>(name: N): Parameters<Activities[N]>[0][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input as Parameters<Activities[N]>[0]);
  }

  /** A tilbud in the capacity register (as the tests insert one into the real `tilbud` table). */
  registerTilbud(name: string, operatorPartyId: string, fixedPlaces: number, targetGroup = 'Voksne med udviklingshæmning'): number {
    const id = this.tilbud.length + 1;
    this.tilbud.push({ id, name, operatorPartyId, targetGroup, fixedPlaces, temporaryPlaces: 0, temporaryFrom: null, createdByCase: null });
    return id;
  }

  tilbudRow(id: number): { fixed_places: number; temporary_places: number } {
    const t = this.tilbud.find((x) => x.id === id)!;
    return { fixed_places: t.fixedPlaces, temporary_places: t.temporaryPlaces };
  }

  /** The case's capacity history in the shape the calendar walks read it from tilbud_capacity_history. */
  historyOf(caseId: string) {
    return this.capacityHistory.filter((e) => e.caseId === caseId).map((e) => ({ entry_key: e.entryKey, kind: e.kind, change_date: e.changeDate, old_places: e.oldPlaces, new_places: e.newPlaces }));
  }

  activities(): Activities {
    const directory: ReturnType<typeof createDirectoryActivities> = {
      resolveRecipients: async (input): Promise<Recipient[]> => {
        const found = this.directory.filter((p) => input.partyIds.includes(p.partyId)).sort(byKommunenr);
        const missing = input.partyIds.filter((id) => !found.some((p) => p.partyId === id));
        if (missing.length) throw new PermanentInputError('UnknownParty', `Ukendt part i adressebogen: ${missing.join(', ')}`);
        return found.map((p) => ({ partyId: p.partyId, name: p.name, emails: p.contacts[input.procedure] ?? p.contacts.default ?? [] }));
      },
      listRegionParties: async (input) =>
        this.directory
          .filter((p) => p.region === input.region)
          .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : byKommunenr(a, b)))
          .map((p) => ({ partyId: p.partyId, name: p.name })),
    };
    const key = (m: Pick<OutgoingEmail, 'caseId' | 'step' | 'recipient' | 'reminder'>) => [m.caseId, m.step, m.recipient, m.reminder ?? ''].join('\u0000');
    const email: ReturnType<typeof createEmailActivities> = {
      sendEmails: async (messages) => {
        let sent = 0;
        let alreadySent = 0;
        for (const m of messages) {
          if (this.outbox.some((x) => key(x) === key(m))) alreadySent++;
          else {
            this.outbox.push(m);
            sent++;
          }
        }
        return { sent, alreadySent, rejected: [] };
      },
    };
    // The database is not there: an activity that reaches for it fails loudly instead of passing unnoticed.
    const noDatabase = new Proxy({} as Pool, {
      get: (_t, prop) => {
        throw new Error(`the workflow tests have no database (pool.${String(prop)}); give the activity an in-memory fake in support/workflowHarness.ts`);
      },
    });
    const capacity = createCapacityActivities({ pool: noDatabase, email, publicUrl: PUBLIC_URL });
    const lockTilbud = (caseId: string, ref: RegisterPermanentInput['tilbud']): TilbudRow => {
      if (ref.id === undefined && !this.tilbud.some((t) => t.createdByCase === caseId)) {
        this.tilbud.push({ id: this.tilbud.length + 1, name: ref.name, operatorPartyId: ref.operatorPartyId, targetGroup: ref.targetGroup, fixedPlaces: ref.basePlaces, temporaryPlaces: 0, temporaryFrom: null, createdByCase: caseId });
      }
      const t = ref.id === undefined ? this.tilbud.find((x) => x.createdByCase === caseId) : this.tilbud.find((x) => x.id === ref.id);
      if (!t) throw ApplicationFailure.nonRetryable(`Tilbud ${ref.id} findes ikke i kapacitetsregistret`, 'UnknownTilbud');
      return t;
    };
    const entry = (caseId: string, entryKey: string) => this.capacityHistory.find((e) => e.caseId === caseId && e.entryKey === entryKey);
    const record = ({ createdByCase: _case, ...t }: TilbudRow): TilbudRecord => ({ ...t, closedOn: null });

    const all: Activities = {
      // The read model.
      upsertCaseSummary: async (s) => {
        this.upsert(s);
      },
      recordCaseChange: async (input) => {
        this.upsert(input.summary);
        this.appendJournal(input.journal);
      },
      markCaseAttention: async (a) => {
        if (!this.attention.some((x) => x.caseId === a.caseId)) this.attention.push({ caseId: a.caseId, reason: a.reason });
      },
      appendJournal: async (e) => {
        this.appendJournal(e);
      },
      ...directory,
      ...email,
      ...createNotifyActivities({ directory, email, publicUrl: PUBLIC_URL, linkSecret: 'test-link-secret-that-is-at-least-32-chars', secretariatEmail: SECRETARIAT }),
      ...createDeadlineActivities(),
      meetingsOf: async (input) =>
        this.meetings
          .filter((m) => m.body === input.body && m.date >= input.from && (!input.until || m.date <= input.until))
          .map((m) => m.date)
          .sort(),
      ...createDocumentActivities({ documents: this.documents, email }),
      ...capacity,
      capacityTilbud: async (input) => {
        const t = this.tilbud.find((x) => x.id === input.tilbudId);
        return t ? record(t) : null;
      },
      registerPermanentCapacity: async (input) => {
        const done = entry(input.caseId, 'permanent');
        if (done) {
          const ended = entry(input.caseId, 'temporary:end');
          return { tilbudId: done.tilbudId, oldPlaces: done.oldPlaces, newPlaces: done.newPlaces, endedTemporaryPlaces: ended ? ended.oldPlaces : null, alreadyRecorded: true };
        }
        const t = lockTilbud(input.caseId, input.tilbud);
        const endTemporary = input.endTemporary && t.temporaryPlaces !== 0;
        if (input.newPlaces + (endTemporary ? 0 : t.temporaryPlaces) < 0) {
          throw ApplicationFailure.nonRetryable(`${t.name}: ${input.newPlaces} faste pladser og ${t.temporaryPlaces} midlertidige giver et negativt antal pladser`, 'NegativePlaces');
        }
        const base = { tilbudId: t.id, caseId: input.caseId, changeDate: input.changeDate, actor: input.actor };
        this.capacityHistory.push({ ...base, entryKey: 'permanent', kind: 'permanent', oldPlaces: t.fixedPlaces, newPlaces: input.newPlaces, reason: input.reason });
        const oldPlaces = t.fixedPlaces;
        const endedTemporaryPlaces = endTemporary ? t.temporaryPlaces : null;
        if (endTemporary) {
          this.capacityHistory.push({ ...base, entryKey: 'temporary:end', kind: 'temporary', oldPlaces: t.temporaryPlaces, newPlaces: 0, reason: 'Den midlertidige normering ophører, da den varige ændring træder i kraft' });
          t.temporaryPlaces = 0;
          t.temporaryFrom = null;
        }
        t.fixedPlaces = input.newPlaces;
        return { tilbudId: t.id, oldPlaces, newPlaces: input.newPlaces, endedTemporaryPlaces, alreadyRecorded: false };
      },
      registerTemporaryStaffing: async (input: RegisterTemporaryInput) => {
        const done = entry(input.caseId, input.entryKey);
        if (done) {
          return { tilbudId: done.tilbudId, fixedPlaces: this.tilbud.find((x) => x.id === done.tilbudId)!.fixedPlaces, oldTemporaryPlaces: done.oldPlaces, newTemporaryPlaces: done.newPlaces, alreadyRecorded: true };
        }
        const t = lockTilbud(input.caseId, input.tilbud);
        if (t.fixedPlaces + input.places < 0) {
          throw ApplicationFailure.nonRetryable(`${t.name}: en nednormering med ${-input.places} pladser er flere end de ${t.fixedPlaces} faste pladser`, 'NegativePlaces');
        }
        this.capacityHistory.push({ tilbudId: t.id, caseId: input.caseId, entryKey: input.entryKey, kind: 'temporary', changeDate: input.from, oldPlaces: t.temporaryPlaces, newPlaces: input.places, reason: input.reason, actor: input.actor });
        const oldTemporaryPlaces = t.temporaryPlaces;
        t.temporaryPlaces = input.places;
        t.temporaryFrom = input.places === 0 ? null : input.from;
        return { tilbudId: t.id, fixedPlaces: t.fixedPlaces, oldTemporaryPlaces, newTemporaryPlaces: input.places, alreadyRecorded: false };
      },
      forumRecipients: async (input) => this.forumRecipients.filter((f) => f.body === input.body).map((f) => f.email).sort(),
      notifyForum: async (input) => {
        const recipients = this.forumRecipients.filter((f) => f.body === input.body).map((f) => f.email).sort();
        if (!recipients.length) return { recipients };
        const { text, html } = renderCaseEmail({
          greeting: 'Til medlemmerne',
          heading: input.heading,
          paragraphs: input.paragraphs,
          facts: [{ label: 'Sagsnummer', value: input.caseId }, ...(input.facts ?? [])],
          link: { url: `${PUBLIC_URL}/sager/${encodeURIComponent(input.caseId)}`, label: 'Se sagen' },
        });
        await email.sendEmails(recipients.map((recipient) => ({ caseId: input.caseId, step: input.step, recipient, subject: input.subject, text, html })));
        return { recipients };
      },
      ...createClosureActivities({ documents: this.documents, directory, email, publicUrl: PUBLIC_URL }),
      ...createCentralAnnouncementActivities(this.documents),
    };
    // Each call recorded, then classified as the real worker does (a permanent error fails at once).
    const recorded = Object.fromEntries(
      Object.entries(all).map(([name, fn]) => [
        name,
        async (input: unknown) => {
          this.calls.push({ name, input });
          return (fn as (i: unknown) => Promise<unknown>)(input);
        },
      ]),
    ) as unknown as Activities;
    return classifyPermanentFailures(recorded);
  }

  private upsert(s: CaseSummary): void {
    const cur = this.summaries.get(s.caseId);
    if (!cur || cur.version < s.version) this.summaries.set(s.caseId, { ...s, parties: s.parties ?? cur?.parties });
  }

  private appendJournal(e: JournalEntry): void {
    if (!this.journal.some((x) => x.caseId === e.caseId && x.entryKey === e.entryKey)) this.journal.push(e);
  }
}

export interface WorkflowHarness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  world: ActivityWorld;
  /** The e-mails queued so far (only those of `caseId`, if given), as the mail catcher would show them. */
  mail(caseId?: string): Promise<CaughtMessage[]>;
  stop(): Promise<void>;
}

export async function startWorkflowHarness(startsAt: string): Promise<WorkflowHarness> {
  const bundle = sharedWorkflowBundle();
  const { env, stop: stopServer } = await startTimeSkippingServer(startsAt);
  const world = new ActivityWorld();
  const taskQueue = `workflow-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: path.join(ROOT, 'workflows', 'index.ts') }),
    activities: world.activities(),
  });
  const running = worker.run();
  const journal = async (caseId: string) => world.journalOf(caseId);
  setJournalSource(journal);
  const within = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);
  return {
    env,
    worker,
    taskQueue,
    world,
    mail: async (caseId) => world.mail(caseId),
    async stop() {
      try {
        worker.shutdown();
        await within(running, 20_000);
      } finally {
        await stopServer();
        setJournalSource(undefined);
      }
    },
  };
}
