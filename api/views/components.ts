/**
 * Det Fælles Designsystem's markup, once: form groups (label above the field, hint, error message), checkboxes and
 * radio buttons, the error summary, alerts, icons, tables and navigation tabs. The pages build from these so every
 * page shows a field, an error or a warning the same way (https://designsystem.dk/komponenter).
 */
import { html, type Html } from './html';

export type AlertVariant = 'info' | 'success' | 'warning' | 'error';

const ICONS = '/static/dkfds/img/all-svg-icons.svg';

/** An icon from DKFDS's sprite (self-hosted); decorative unless given a label. */
export function icon(name: string, opts: { label?: string; classes?: string } = {}): Html {
  return html`<svg class="icon-svg${opts.classes ? ` ${opts.classes}` : ''}" focusable="false"${opts.label ? html` role="img" aria-label="${opts.label}"` : html` aria-hidden="true"`}><use href="${ICONS}#${name}"></use></svg>`;
}

/** A form group: the label above the field, then the hint, then the error message, then the field itself. */
export function formGroup(opts: { id: string; label: string | Html; hint?: string | Html; errors?: readonly (string | Html)[]; control: Html; classes?: string }): Html {
  const errs = opts.errors ?? [];
  return html`<div class="form-group${errs.length ? ' form-error' : ''}${opts.classes ? ` ${opts.classes}` : ''}"><label class="form-label" for="${opts.id}">${opts.label}</label>
${opts.hint ? html`<span class="form-hint" id="${opts.id}-hint">${opts.hint}</span>` : ''}
${errorMessage(opts.id, errs)}
${opts.control}</div>`;
}

/** The error message of a field (or a group), between its label and the field. */
export function errorMessage(id: string, errors: readonly (string | Html)[]): Html | '' {
  if (!errors.length) return '';
  return html`<span class="form-error-message" id="${id}-fejl"><span class="sr-only">Fejl: </span>${errors.map((e, i) => html`${i ? html`<br>` : ''}${e}`)}</span>`;
}

/** aria-describedby for a field with a hint and/or an error message, and aria-invalid when it has an error. */
export function describedBy(id: string, hasHint: boolean, hasError: boolean): Html {
  const ids = [hasHint ? `${id}-hint` : '', hasError ? `${id}-fejl` : ''].filter(Boolean).join(' ');
  return html`${hasError ? html` aria-invalid="true"` : ''}${ids ? html` aria-describedby="${ids}"` : ''}`;
}

export function checkbox(opts: { id: string; name: string; value: string; label: string | Html; checked?: boolean; hint?: string }): Html {
  return html`<div class="form-group-checkbox"><input type="checkbox" class="form-checkbox" id="${opts.id}" name="${opts.name}" value="${opts.value}"${opts.checked ? html` checked` : ''}${opts.hint ? html` aria-describedby="${opts.id}-hint"` : ''}>
<label class="form-label" for="${opts.id}">${opts.label}</label>${opts.hint ? html`<span class="form-hint" id="${opts.id}-hint">${opts.hint}</span>` : ''}</div>`;
}

export function radio(opts: { id: string; name: string; value: string; label: string | Html; checked?: boolean }): Html {
  return html`<div class="form-group-radio"><input type="radio" class="form-radio" id="${opts.id}" name="${opts.name}" value="${opts.value}"${opts.checked ? html` checked` : ''}>
<label class="form-label" for="${opts.id}">${opts.label}</label></div>`;
}

/** A fieldset with its legend styled as a label, a hint and the group's error message (checkboxes, radios, groups). */
export function fieldsetGroup(opts: { id: string; legend: string | Html; hint?: string | Html; errors?: readonly (string | Html)[]; content: Html; classes?: string }): Html {
  const errs = opts.errors ?? [];
  const ids = [opts.hint ? `${opts.id}-hint` : '', errs.length ? `${opts.id}-fejl` : ''].filter(Boolean).join(' ');
  return html`<div class="form-group${errs.length ? ' form-error' : ''}${opts.classes ? ` ${opts.classes}` : ''}"><fieldset id="${opts.id}"${ids ? html` aria-describedby="${ids}"` : ''}><legend class="form-label">${opts.legend}</legend>
${opts.hint ? html`<span class="form-hint" id="${opts.id}-hint">${opts.hint}</span>` : ''}
${errorMessage(opts.id, errs)}
${opts.content}</fieldset></div>`;
}

/** The error summary at the top of a form: what went wrong, each item a link to its field (DKFDS "Fejlopsummering"). */
export function errorSummaryBox(heading: string, items: readonly { href?: string; text: string | Html }[]): Html {
  if (!items.length) return html``;
  return html`<div class="alert alert-error" role="alert" aria-labelledby="fejl-titel" data-module="error-summary" tabindex="-1" id="fejl">${icon('error', { label: 'Fejl', classes: 'alert-icon' })}
<div class="alert-body"><p class="alert-heading" id="fejl-titel">${heading}</p>
<ul class="alert-text nobullet-list">${items.map((i) => html`<li>${i.href ? html`<a class="function-link" href="${i.href}">${i.text}</a>` : i.text}</li>`)}</ul></div></div>`;
}

/** An alert box: info, success, warning or error, with an optional heading; warnings and errors are announced. */
export function alert(opts: { variant: AlertVariant; heading?: string | Html; content: Html | string; role?: 'alert' | 'status'; attrs?: Html; headingLevel?: 'h2' | 'h3' | 'p' }): Html {
  const label = { info: 'Information', success: 'Succes', warning: 'Advarsel', error: 'Fejl' }[opts.variant];
  const role = opts.role ?? (opts.variant === 'warning' || opts.variant === 'error' ? 'alert' : 'status');
  const level = opts.headingLevel ?? 'h2';
  const heading = !opts.heading
    ? ''
    : level === 'h2'
      ? html`<h2 class="alert-heading">${opts.heading}</h2>`
      : level === 'h3'
        ? html`<h3 class="alert-heading">${opts.heading}</h3>`
        : html`<p class="alert-heading">${opts.heading}</p>`;
  return html`<div class="alert alert-${opts.variant}" role="${role}"${opts.attrs ?? ''}>${icon(opts.variant, { label, classes: 'alert-icon' })}<div class="alert-body">${heading}<div class="alert-text">${opts.content}</div></div></div>`;
}

/** A table in DKFDS's style, scrolling sideways on narrow screens instead of overflowing the page. */
export function table(opts: { head: readonly (string | Html)[]; rows: Html; caption?: string | Html; classes?: string; numeric?: readonly number[] }): Html {
  const num = new Set(opts.numeric ?? []);
  return html`<div class="table--responsive-scroll"><table class="table${opts.classes ? ` ${opts.classes}` : ''}">${opts.caption ? html`<caption>${opts.caption}</caption>` : ''}
<thead><tr>${opts.head.map((h, i) => html`<th scope="col"${num.has(i) ? html` class="num"` : ''}>${h}</th>`)}</tr></thead>
<tbody>${opts.rows}</tbody></table></div>`;
}

/** Navigation tabs (DKFDS "Faneblade" as links): each tab is its own address, so they work without JavaScript. */
export function navigationTabs(label: string, tabs: readonly { href: string; text: string; current: boolean }[]): Html {
  return html`<nav class="tab-container" aria-label="${label}"><ul class="tab-list">${tabs.map(
    (t) => html`<li><a href="${t.href}" class="tab-button"${t.current ? html` aria-current="true"` : ''}><span>${t.text}</span></a></li>`,
  )}</ul></nav>`;
}
