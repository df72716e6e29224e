import { describe, expect, it } from 'vitest';
import { fieldLabel, normaliseValue } from '../../api/inputGuard';

describe('the boundary normaliser', () => {
  it('normalises to NFC and CRLF to LF, and keeps tabs and newlines', () => {
    const r = normaliseValue({ text: 'Bemærk\u0301 linje 1\r\nlinje 2\tslut', list: ['e\u0301'] });
    expect(r).toEqual({ ok: true, value: { text: 'Bemærḱ linje 1\nlinje 2\tslut'.normalize('NFC'), list: ['é'] } });
  });

  it('refuses C0 and C1 controls, a bare CR, bidi overrides and lone surrogates, naming the field in Danish', () => {
    for (const bad of ['\u0000', '\u0008', '\u000b', '\r', '\u001b', '\u007f', '\u0085', '\u202a', '\u202e', '\u2066', '\u2069', '\ud800', '\udfff']) {
      const r = normaliseValue({ title: `a${bad}b` });
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.errors).toEqual([{ field: 'title', reason: expect.stringMatching(/^Titel: indeholder et usynligt styretegn/) }]);
    }
    expect(normaliseValue({ note: 'emoji 😀 ok' }).ok).toBe(true);
  });

  it('refuses nesting deeper than 32 without using the stack, and texts past the limit', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const r = normaliseValue(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.reason).toContain('indlejret for dybt');
    const long = normaliseValue({ q: 'x'.repeat(501) }, { maxLength: 500 });
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.errors[0]!.reason).toBe('Søgning: må højst være 500 tegn');
  });

  it('keeps a "__proto__" key a plain key', () => {
    const r = normaliseValue(JSON.parse('{"__proto__": {"polluted": "ja"}, "a": "b"}'));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.keys(r.value as object)).toEqual(['__proto__', 'a']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    }
  });

  it('names fields by label, never by an internal path', () => {
    expect(fieldLabel('input.deadlines.agreement.wording')).toBe('Fristens ordlyd');
    expect(fieldLabel('payers.3.zz')).toBe('Et af felterne');
  });
});
