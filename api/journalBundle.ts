/**
 * The case journal as a bundle for access requests (aktindsigt) and for filing in a municipality's records
 * system: a ZIP with an index (HTML to read, CSV to import: number, date, description, actor, documents) and every
 * document of the case under dokumenter/, named by journal number.
 */
import { zip } from './zip';
import { csvRow } from './csv';
import { html } from './views/html';
import { copenhagenTimestamp, danishDateTime, readable } from './views/format';
import type { CaseRow } from './caseService';
import type { JournalView } from '../contracts/caseState';
import type { DocumentContent } from '../db/documents';

const safeName = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 120);

export function journalBundle(summary: CaseRow, journal: JournalView[], contents: Map<string, DocumentContent>): Buffer {
  const files: { name: string; content: Buffer; date?: Date }[] = [];
  const rows = journal.map((j, i) => {
    const no = String(i + 1).padStart(3, '0');
    const docs = j.documents.map((d, k) => {
      const ext = d.mediaType.startsWith('text/html') ? '.html' : d.mediaType.startsWith('text/calendar') ? '.ics' : /\.\w{2,4}$/.test(d.name) ? '' : '.txt';
      const name = `dokumenter/${no}-${k + 1} ${safeName(d.name)}${ext}`;
      const kept = contents.get(d.id);
      // A document missing from the store is named in the index, not silently left out.
      if (!kept) return `${name} (mangler i dokumentarkivet)`;
      files.push({ name, content: kept.content, date: new Date(j.at) });
      return name;
    });
    return { no, at: j.at, description: readable(j.description), actor: j.actor, docs };
  });
  const csv = '\uFEFF' + csvRow(['Nr.', 'Tidspunkt', 'Beskrivelse', 'Aktør', 'Dokumenter']) + rows.map((r) => csvRow([r.no, copenhagenTimestamp(r.at), r.description, r.actor, r.docs.join(' | ')])).join('');
  const index = html`<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Journal for ${summary.caseId}</title></head><body>
<h1>Journal for sag ${summary.caseId}</h1><p>${summary.title}</p><p>Status: ${summary.stage}. Udtrukket ${danishDateTime(new Date().toISOString())}.</p>
<table border="1" cellpadding="4"><thead><tr><th scope="col">Nr.</th><th scope="col">Tidspunkt</th><th scope="col">Beskrivelse</th><th scope="col">Aktør</th><th scope="col">Dokumenter</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.no}</td><td>${danishDateTime(r.at)}</td><td>${r.description}</td><td>${r.actor}</td><td>${r.docs.map((d) => html`<a href="${encodeURI(d)}">${d.slice('dokumenter/'.length)}</a><br>`)}</td></tr>`)}
</tbody></table></body></html>`.value;
  return zip([{ name: 'journal.html', content: index }, { name: 'journal.csv', content: csv }, ...files]);
}
