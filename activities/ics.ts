/**
 * An iCalendar event for a deadline. The UID is stable per case and deadline and SEQUENCE grows with each
 * extension, so a calendar updates the existing entry instead of adding a second one.
 */
export function deadlineIcs(opts: { uid: string; sequence: number; dueDate: string; summary: string; description: string; url?: string; stampIso: string }): string {
  const d = opts.dueDate.replace(/-/g, '');
  const next = new Date(Date.parse(`${opts.dueDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const stamp = opts.stampIso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
  const fold = (line: string) => {
    const out: string[] = [];
    let rest = line;
    while (Buffer.byteLength(rest) > 74) {
      let cut = 74;
      while (Buffer.byteLength(rest.slice(0, cut)) > 74) cut--;
      out.push(rest.slice(0, cut));
      rest = ' ' + rest.slice(cut);
    }
    out.push(rest);
    return out.join('\r\n');
  };
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//KKR Syddanmark//Sagsmotor//DA',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${opts.uid}`,
    `SEQUENCE:${opts.sequence}`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${d}`,
    `DTEND;VALUE=DATE:${next}`,
    fold(`SUMMARY:${escape(opts.summary)}`),
    fold(`DESCRIPTION:${escape(opts.description)}`),
    ...(opts.url ? [fold(`URL:${opts.url}`)] : []),
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
