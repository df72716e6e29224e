/** The one layout every Danish case e-mail shares: text and HTML parts built from the same content. */
export interface CaseEmailContent {
  greeting?: string;
  heading: string;
  paragraphs: string[];
  facts?: { label: string; value: string }[];
  link?: { url: string; label: string };
  signature?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderCaseEmail(c: CaseEmailContent): { text: string; html: string } {
  const signature = c.signature ?? 'Med venlig hilsen\nKKR Syddanmark, sekretariatet';
  const text = [
    c.greeting ?? 'Kære modtager',
    '',
    c.heading,
    '',
    ...c.paragraphs.flatMap((p) => [p, '']),
    ...(c.facts ?? []).map((f) => `${f.label}: ${f.value}`),
    ...(c.facts?.length ? [''] : []),
    ...(c.link ? [`${c.link.label}: ${c.link.url}`, ''] : []),
    signature,
  ].join('\n');
  const html = `<!doctype html><html lang="da"><body style="font-family:Arial,sans-serif;line-height:1.5">
<p>${esc(c.greeting ?? 'Kære modtager')}</p>
<h1 style="font-size:1.2em">${esc(c.heading)}</h1>
${c.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
${c.facts?.length ? `<table>${c.facts.map((f) => `<tr><th style="text-align:left;padding-right:1em">${esc(f.label)}</th><td>${esc(f.value)}</td></tr>`).join('')}</table>` : ''}
${c.link ? `<p><a href="${esc(c.link.url)}">${esc(c.link.label)}</a></p>` : ''}
<p>${esc(signature).replace(/\n/g, '<br>')}</p>
</body></html>`;
  return { text, html };
}
