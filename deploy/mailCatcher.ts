/**
 * A real SMTP server that keeps every message it receives and shows them in the browser. Used as the local
 * default for SMTP_URL and as the SMTP server of the test suite. Messages are stored as .eml files when a
 * data directory is given, so a restart of `npm start` keeps what arrived.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import http from 'node:http';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CaughtMessage {
  id: string;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  subject: string;
  from: string;
  to: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: string }[];
}

export interface MailCatcher {
  name: string;
  smtpPort: number;
  httpPort: number;
  smtpUrl: string;
  webUrl: string;
  messages(): CaughtMessage[];
  clear(): void;
  /** Stops accepting SMTP connections (for outage drills) while keeping the web view and the messages. */
  pauseSmtp(): Promise<void>;
  resumeSmtp(): Promise<void>;
  stop(): Promise<void>;
}

async function toMessage(raw: Buffer, id: string, envelopeFrom: string, envelopeTo: string[], receivedAt: string): Promise<CaughtMessage> {
  const parsed: ParsedMail = await simpleParser(raw);
  const addr = (a: ParsedMail['from'] | ParsedMail['to']) =>
    !a ? '' : Array.isArray(a) ? a.map((x) => x.text).join(', ') : a.text;
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.key.length + 1).trim();
  return {
    id,
    receivedAt,
    envelopeFrom,
    envelopeTo,
    subject: parsed.subject ?? '',
    from: addr(parsed.from),
    to: addr(parsed.to),
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    headers,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      content: a.content.toString('utf8'),
    })),
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ccc;padding:.4rem;text-align:left}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
iframe{width:100%;height:30rem;border:1px solid #ccc}</style></head><body>${body}</body></html>`;
}

/**
 * Whether a request's Host header names this catcher: a loopback name or the address it listens on (or one of
 * `allowedHosts`), with its port. A page of another site that a DNS-rebinding attack points at 127.0.0.1 sends
 * its own host name, so it cannot read the caught e-mails (and the signed links in them).
 */
export function catcherHostAllowed(hostHeader: string | undefined, listenHost: string, port: number, allowedHosts: string[] = []): boolean {
  if (!hostHeader) return false;
  const names = new Set(['localhost', '127.0.0.1', '[::1]', ...allowedHosts]);
  if (!['0.0.0.0', '::'].includes(listenHost)) names.add(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost);
  const h = hostHeader.toLowerCase();
  return [...names].some((n) => h === `${n.toLowerCase()}:${port}` || (port === 80 && h === n.toLowerCase()));
}

export async function startMailCatcher(opts: { smtpPort: number; httpPort: number; dataDir?: string; host?: string; allowedHosts?: string[] }): Promise<MailCatcher> {
  const host = opts.host ?? '127.0.0.1';
  const store: CaughtMessage[] = [];
  let seq = 0;
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    for (const f of readdirSync(opts.dataDir).filter((f) => f.endsWith('.eml')).sort()) {
      const meta = JSON.parse(readFileSync(path.join(opts.dataDir, f.replace(/\.eml$/, '.json')), 'utf8')) as {
        envelopeFrom: string;
        envelopeTo: string[];
        receivedAt: string;
      };
      store.push(await toMessage(readFileSync(path.join(opts.dataDir, f)), f.replace(/\.eml$/, ''), meta.envelopeFrom, meta.envelopeTo, meta.receivedAt));
      seq = Math.max(seq, Number.parseInt(f, 10) || 0);
    }
  }

  const makeSmtp = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 25 * 1024 * 1024,
      // The reserved top-level domain .invalid (RFC 2606) never has a mailbox; refusing it as a real server would
      // (550, permanent) lets a person or a test see how the system handles a bad address.
      onRcptTo(address, _session, callback) {
        if (/\.invalid$/i.test(address.address)) {
          const err = Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: domain does not exist`), { responseCode: 550 });
          return callback(err);
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const id = String(++seq).padStart(8, '0');
          const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          const receivedAt = new Date().toISOString();
          toMessage(raw, id, envelopeFrom, envelopeTo, receivedAt)
            .then((m) => {
              if (opts.dataDir) {
                writeFileSync(path.join(opts.dataDir, `${id}.eml`), raw);
                writeFileSync(path.join(opts.dataDir, `${id}.json`), JSON.stringify({ envelopeFrom, envelopeTo, receivedAt }));
              }
              store.push(m);
              callback();
            })
            .catch((err: Error) => callback(err));
        });
      },
    });

  // A client that drops its connection mid-transaction (a killed worker) makes the server emit 'error' with
  // ECONNRESET; with no listener left after start-up, that ended the whole process. The catcher goes on.
  const tolerant = (s: SMTPServer) => s.on('error', () => undefined);
  let smtp = tolerant(makeSmtp());
  let smtpOpen = true;
  const controls = {
    pauseSmtp: async () => {
      if (!smtpOpen) return;
      smtpOpen = false;
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
    resumeSmtp: async () => {
      if (smtpOpen) return;
      smtp = tolerant(makeSmtp());
      await listenSmtp(smtp);
      smtpOpen = true;
    },
  };
  const listenSmtp = (s: SMTPServer) => new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(opts.smtpPort, host, () => resolve());
  });
  await listenSmtp(smtp);

  const web = http.createServer((req, res) => {
    if (!catcherHostAllowed(req.headers.host, host, (web.address() as { port: number }).port, opts.allowedHosts)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('Ukendt værtsnavn (Host). E-mail-opsamleren svarer kun på sin egen adresse, fx http://127.0.0.1:8025/.');
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/api/messages' && req.method === 'GET') {
      // ?since=<ISO time>: only what arrived from then on; ?case=<case id>: only messages that name the case in
      // their subject or text. A test reads its own messages instead of the whole run's store.
      const since = url.searchParams.get('since');
      const caseId = url.searchParams.get('case');
      const sinceMs = since ? Date.parse(since) : Number.NaN;
      if (since && Number.isNaN(sinceMs)) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        return res.end('since: expected an ISO time');
      }
      const selected = store.filter(
        (m) => (!since || Date.parse(m.receivedAt) >= sinceMs) && (!caseId || m.subject.includes(caseId) || m.text.includes(caseId)),
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(selected));
    }
    // Simulating an SMTP outage from outside the process (fault drills, tests): POST /api/smtp/stop and /start.
    if ((url.pathname === '/api/smtp/stop' || url.pathname === '/api/smtp/start') && req.method === 'POST') {
      const op = url.pathname.endsWith('stop') ? controls.pauseSmtp() : controls.resumeSmtp();
      op.then(
        () => {
          res.writeHead(204);
          res.end();
        },
        (e: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(e.message);
        },
      );
      return;
    }
    if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      store.length = 0;
      res.writeHead(204);
      return res.end();
    }
    const m = /^\/messages\/([0-9]+)$/.exec(url.pathname);
    if (m) {
      const msg = store.find((x) => x.id === m[1]);
      if (!msg) {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(page('Ikke fundet', '<p>Beskeden findes ikke.</p><p><a href="/">Tilbage</a></p>'));
      }
      const atts = msg.attachments.map((a) => `<li>${esc(a.filename)} (${esc(a.contentType)})<pre>${esc(a.content)}</pre></li>`).join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(msg.subject, `<p><a href="/">Alle beskeder</a></p><h1>${esc(msg.subject)}</h1>
<p><b>Fra:</b> ${esc(msg.from)}<br><b>Til:</b> ${esc(msg.to)}<br><b>Modtaget:</b> ${esc(msg.receivedAt)}</p>
${msg.html ? `<h2>HTML</h2><iframe sandbox title="HTML-udgave" srcdoc="${esc(msg.html)}"></iframe>` : ''}
<h2>Tekst</h2><pre>${esc(msg.text)}</pre>${atts ? `<h2>Vedhæftninger</h2><ul>${atts}</ul>` : ''}`));
    }
    if (url.pathname === '/') {
      const rows = store
        .slice()
        .reverse()
        .map((x) => `<tr><td>${esc(x.receivedAt)}</td><td>${esc(x.to)}</td><td><a href="/messages/${x.id}">${esc(x.subject || '(intet emne)')}</a></td></tr>`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page('E-mail-opsamler', `<h1>E-mail-opsamler (lokal)</h1><p>${store.length} beskeder modtaget på SMTP-port ${opts.smtpPort}.</p>
<table><thead><tr><th>Modtaget</th><th>Til</th><th>Emne</th></tr></thead><tbody>${rows}</tbody></table>`));
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    web.once('error', reject);
    web.listen(opts.httpPort, host, () => resolve());
  });
  const httpPort = (web.address() as { port: number }).port;

  return {
    name: 'mail-catcher',
    smtpPort: opts.smtpPort,
    httpPort,
    smtpUrl: `smtp://${host}:${opts.smtpPort}`,
    webUrl: `http://${host}:${httpPort}`,
    messages: () => store.slice(),
    clear: () => {
      store.length = 0;
    },
    ...controls,
    stop: async () => {
      if (smtpOpen) await new Promise<void>((resolve) => smtp.close(() => resolve()));
      smtpOpen = false;
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
