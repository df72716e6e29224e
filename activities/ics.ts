/**
 * An iCalendar event for a deadline. The UID is stable per case and deadline and SEQUENCE grows with each
 * extension, so a calendar updates the existing entry instead of adding a second one.
 */
export function deadlineIcs(opts: { uid: string; sequence: number; dueDate: string; summary: string; description: string; url?: string; stampIso: string }): string {
  const d = opts.dueDate.replace(/-/g, '');
  const next = new Date(Date.parse(`${opts.dueDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const stamp = opts.stampIso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  // RFC 5545 3.3.11: backslash, semicolon and comma escaped, every line break (CRLF, LF or a bare CR) as \n, and
  // no other control character (a bare CR or NUL would end or break the line in some calendar programs).
  const escape = (s: string) =>
    s
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n')
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
  // RFC 5545 3.1: lines of at most 75 octets, folded with CRLF and a space, never inside a UTF-8 character.
  const fold = (line: string) => {
    const out: string[] = [];
    let current = '';
    let octets = 0;
    for (const ch of line) {
      const n = Buffer.byteLength(ch);
      if (octets + n > 75) {
        out.push(current);
        current = ' ';
        octets = 1;
      }
      current += ch;
      octets += n;
    }
    out.push(current);
    return out.join('\r\n');
  };
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//KKR Syddanmark//Sagsmotor//DA',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    fold(`UID:${escape(opts.uid)}`),
    `SEQUENCE:${opts.sequence}`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${d}`,
    `DTEND;VALUE=DATE:${next}`,
    fold(`SUMMARY:${escape(opts.summary)}`),
    fold(`DESCRIPTION:${escape(opts.description)}`),
    ...(opts.url ? [fold(`URL:${opts.url.replace(/[\u0000-\u0020\u007F]/g, '')}`)] : []),
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
