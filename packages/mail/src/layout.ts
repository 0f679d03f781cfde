import { escapeHtml } from './html.js';

/** The languages with templates; any other falls back to English. */
export type MailLanguage = 'en' | 'de';
const LANGUAGES: readonly MailLanguage[] = ['en', 'de'];

/** What a mail shows of its store: its name and, when valid, its colour and logo. */
export interface MailBranding {
  storeName: string;
  /** #rgb or #rrggbb; anything else is ignored. */
  primaryColor: string | null;
  /** An https URL; anything else is ignored. */
  logoUrl: string | null;
}

/** A mail's words: a greeting, paragraphs, one button and a closing line. */
export interface MailWording {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** The button's label. */
  action: string;
  closing: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The template language: the first of the given locales that has templates, else English. */
export function mailLanguage(...locales: Array<string | null | undefined>): MailLanguage {
  for (const locale of locales) {
    const primary = locale?.trim().toLowerCase().split(/[-_]/)[0];
    const match = LANGUAGES.find((language) => language === primary);
    if (match) return match;
  }
  return 'en';
}

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const DEFAULT_COLOR = '#111827';

/** Branding from the store row's JSON, keeping only values that are safe to put into a mail. */
export function mailBranding(storeName: string, branding: unknown): MailBranding {
  const record = typeof branding === 'object' && branding !== null ? (branding as Record<string, unknown>) : {};
  const color = typeof record.primaryColor === 'string' && COLOR.test(record.primaryColor) ? record.primaryColor : null;
  let logoUrl: string | null = null;
  if (
    typeof record.logoUrl === 'string' &&
    URL.canParse(record.logoUrl) &&
    new URL(record.logoUrl).protocol === 'https:'
  )
    logoUrl = record.logoUrl;
  return { storeName, primaryColor: color, logoUrl };
}

/** Renders a mail as plain text and HTML in the store's branding, its button leading to `link`. */
export function renderMail(
  language: MailLanguage,
  branding: MailBranding,
  wording: MailWording,
  link: string,
): RenderedMail {
  const text = [
    wording.greeting,
    '',
    ...wording.paragraphs.flatMap((paragraph) => [paragraph, '']),
    `${wording.action}: ${link}`,
    '',
    wording.closing,
    '',
  ].join('\n');
  const color = branding.primaryColor ?? DEFAULT_COLOR;
  const header = branding.logoUrl
    ? `<img src="${escapeHtml(branding.logoUrl)}" alt="${escapeHtml(branding.storeName)}" style="max-height:48px">`
    : `<span style="font-size:20px;font-weight:bold;color:${color}">${escapeHtml(branding.storeName)}</span>`;
  const html = `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><title>${escapeHtml(wording.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#111827">
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#ffffff;border-top:4px solid ${color};border-radius:4px">
<tr><td style="padding:24px">${header}</td></tr>
<tr><td style="padding:0 24px 24px;font-size:15px;line-height:1.5">
<p>${escapeHtml(wording.greeting)}</p>
${wording.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:12px 20px;background:${color};color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(wording.action)}</a></p>
<p style="font-size:13px;color:#6b7280">${escapeHtml(link)}</p>
<p>${escapeHtml(wording.closing)}</p>
</td></tr>
</table>
</body>
</html>
`;
  return { subject: wording.subject, text, html };
}

/** A row of a notice's table: an order line or a total. */
export interface MailTableRow {
  label: string;
  value: string;
  /** Shown in bold (the total). */
  strong?: boolean;
}

/**
 * Renders a notice (an order mail) as plain text and HTML in the store's branding: the wording,
 * a table of lines and totals, and a button to `link` when there is one.
 */
export function renderNotice(
  language: MailLanguage,
  branding: MailBranding,
  wording: MailWording,
  { rows = [], link = null }: { rows?: MailTableRow[]; link?: string | null },
): RenderedMail {
  const width = Math.max(0, ...rows.map((row) => row.label.length));
  const text = [
    wording.greeting,
    '',
    ...wording.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(rows.length > 0 ? [...rows.map((row) => `${row.label.padEnd(width)}  ${row.value}`), ''] : []),
    ...(link ? [`${wording.action}: ${link}`, ''] : []),
    wording.closing,
    '',
  ].join('\n');
  const color = branding.primaryColor ?? DEFAULT_COLOR;
  const header = branding.logoUrl
    ? `<img src="${escapeHtml(branding.logoUrl)}" alt="${escapeHtml(branding.storeName)}" style="max-height:48px">`
    : `<span style="font-size:20px;font-weight:bold;color:${color}">${escapeHtml(branding.storeName)}</span>`;
  const table =
    rows.length > 0
      ? `<table role="presentation" width="100%" style="border-collapse:collapse;margin:16px 0">
${rows
  .map((row) => {
    const weight = row.strong ? 'font-weight:bold;' : '';
    return `<tr><td style="${weight}padding:6px 0;border-bottom:1px solid #e5e7eb">${escapeHtml(row.label)}</td><td style="${weight}padding:6px 0;border-bottom:1px solid #e5e7eb;text-align:right">${escapeHtml(row.value)}</td></tr>`;
  })
  .join('\n')}
</table>`
      : '';
  const button = link
    ? `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:12px 20px;background:${color};color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(wording.action)}</a></p>
<p style="font-size:13px;color:#6b7280">${escapeHtml(link)}</p>`
    : '';
  const html = `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><title>${escapeHtml(wording.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#111827">
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#ffffff;border-top:4px solid ${color};border-radius:4px">
<tr><td style="padding:24px">${header}</td></tr>
<tr><td style="padding:0 24px 24px;font-size:15px;line-height:1.5">
<p>${escapeHtml(wording.greeting)}</p>
${wording.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${table}
${button}
<p>${escapeHtml(wording.closing)}</p>
</td></tr>
</table>
</body>
</html>
`;
  return { subject: wording.subject, text, html };
}
