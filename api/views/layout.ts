import { html, type Html } from './html';

/**
 * Every page in Det Fælles Designsystem's frame: the skip link, the header (portal line with the signed-in person,
 * the solution's name and the authority, the main menu), the page container and the footer. The menu and the
 * person are filled in per request (`<!--nav-->`, `<!--user-->`, api/auth/middleware.ts). No inline style or
 * script: the CSP allows only files from this server (DKFDS's own, api/static/app.css and app.js).
 */
export function layout(opts: { title: string; body: Html; nav?: boolean }): string {
  return html`<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} – KKR Syddanmark sager</title>
<link rel="stylesheet" href="/static/dkfds/css/dkfds.min.css">
<link rel="stylesheet" href="/static/app.css">
<link rel="stylesheet" href="/static/print.css" media="print">
<script src="/static/dkfds/js/dkfds.min.js" defer></script>
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skipnav" href="#indhold">Gå til sidens indhold</a>
<header class="header">
<div class="portal-info">
<div class="portal-info-inner container">
<a href="/" class="logo kkr-logo"><span>KKR Syddanmark</span></a>
<div class="portal-user"><!--user--></div>
</div>
</div>
<div class="solution-info">
<div class="solution-info-inner container">
<div class="solution-heading"><a href="/" aria-label="Forside: Sager på tværs af kommunerne">Sager på tværs af kommunerne</a></div>
<div class="additional-info d-print-none"><p><strong class="authority-name">KKR Syddanmark</strong></p><p>Fælleskommunalt sekretariat</p></div>
</div>
</div>
${opts.nav === false ? '' : html`<div class="navigation-menu d-print-none">
<div class="navigation-menu-inner container">
<nav class="nav" aria-label="Hovedmenu"><ul class="mainmenu"><!--nav--></ul></nav>
</div>
</div>`}
</header>
<div class="container page-container">
<main id="indhold">
${opts.body}
</main>
</div>
<footer class="d-print-none">
<div class="footer">
<div class="container">
<ul class="align-text-left unstyled-list inline-list">
<li>KKR Syddanmark · fælleskommunalt sekretariat</li>
<li><a href="/tilgaengelighed">Tilgængelighedserklæring</a></li>
</ul>
</div>
</div>
</footer>
</body>
</html>`.value;
}
