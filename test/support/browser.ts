/** A browser without JavaScript for the integration tests: keeps the session cookie and posts forms with the
 * CSRF token the last page carried, as a person's browser does. */
import { unescapeHtml } from './cases';

export interface BrowserPage {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
}

export class Browser {
  private cookie = '';
  csrf = '';
  /** `timeoutMs`: every request gives up after this long (a hang is then a failure, not a stuck test). */
  constructor(
    private readonly base: string,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
      ...(this.opts.timeoutMs ? { signal: AbortSignal.timeout(this.opts.timeoutMs) } : {}),
    });
    const set = /kkr_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (set !== undefined) this.cookie = set ? `kkr_session=${set}` : '';
    return res;
  }

  async page(path: string): Promise<BrowserPage> {
    const res = await this.request(path);
    const html = unescapeHtml(await res.text());
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return { status: res.status, html, location: res.headers.get('location'), headers: res.headers };
  }

  /** `csrf: false` posts without the token (a forged request); `headers` adds request headers (Origin, …). */
  async post(path: string, form: Record<string, string | string[]>, opts: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<BrowserPage> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    if (opts.csrf !== false && this.csrf) body.set('_csrf', this.csrf);
    const res = await this.request(path, { method: 'POST', body, headers: opts.headers ?? {} });
    return { status: res.status, html: unescapeHtml(await res.text()), location: res.headers.get('location'), headers: res.headers };
  }

  async signIn(email: string, password: string): Promise<BrowserPage> {
    return this.post('/log-ind', { email, password });
  }
}
