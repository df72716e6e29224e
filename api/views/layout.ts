import { html, type Html } from './html';

export function layout(opts: { title: string; body: Html; nav?: boolean }): string {
  return html`<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} – KKR Syddanmark sager</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<a class="skip" href="#indhold">Spring til indhold</a>
<header class="top">
  <p class="brand"><a href="/">KKR Syddanmark · sager</a></p>
  ${opts.nav === false ? '' : html`<nav aria-label="Hovedmenu"><ul><!--nav--></ul></nav>`}
</header>
<main id="indhold">
${opts.body}
</main>
<footer><p>KKR Syddanmark · fælleskommunalt sekretariat · <a href="/tilgaengelighed">Tilgængelighedserklæring</a></p></footer>
</body>
</html>`.value;
}
