import { escapeHtml } from '@commerce/mail';

/** The mails a store sends its customers. */
export type CustomerMailKind = 'WELCOME' | 'EMAIL_VERIFICATION' | 'PASSWORD_RESET';

/** The languages with templates; any other falls back to English. */
export type MailLanguage = 'en' | 'de';
const LANGUAGES: readonly MailLanguage[] = ['en', 'de'];

/** What a template shows of the store: its name and, when valid, its colour and logo. */
export interface MailBranding {
  storeName: string;
  /** #rgb or #rrggbb; anything else is ignored. */
  primaryColor: string | null;
  /** An https URL; anything else is ignored. */
  logoUrl: string | null;
}

export interface MailContent {
  kind: CustomerMailKind;
  language: MailLanguage;
  branding: MailBranding;
  firstName: string;
  /** The page the button leads to (verification, reset or account page). */
  link: string;
  /** How long the link works, in minutes (verification and reset mails). */
  validMinutes: number;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Wording {
  subject: string;
  paragraphs: string[];
  action: string;
  closing: string;
}

function duration(language: MailLanguage, minutes: number): string {
  if (minutes % 1440 === 0) {
    const days = minutes / 1440;
    return language === 'de' ? `${days} ${days === 1 ? 'Tag' : 'Tage'}` : `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return language === 'de' ? `${hours} ${hours === 1 ? 'Stunde' : 'Stunden'}` : `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  }
  return language === 'de' ? `${minutes} Minuten` : `${minutes} minutes`;
}

const WORDINGS: Record<MailLanguage, (content: MailContent) => Wording & { greeting: string }> = {
  en: ({ kind, branding, firstName, validMinutes }) => {
    const store = branding.storeName;
    const greeting = firstName ? `Hello ${firstName},` : 'Hello,';
    const closing = `The ${store} team`;
    switch (kind) {
      case 'WELCOME':
        return { greeting, closing, subject: `Welcome to ${store}`, action: 'Go to your account', paragraphs: [`Your customer account at ${store} is ready. Thank you for signing up!`] };
      case 'EMAIL_VERIFICATION':
        return {
          greeting,
          closing,
          subject: `Confirm your email address for ${store}`,
          action: 'Confirm email address',
          paragraphs: [
            `Please confirm that this email address belongs to you.`,
            `The link works for ${duration('en', validMinutes)}. If you did not create an account at ${store}, you can ignore this email.`,
          ],
        };
      case 'PASSWORD_RESET':
        return {
          greeting,
          closing,
          subject: `Reset your password for ${store}`,
          action: 'Choose a new password',
          paragraphs: [
            `We received a request to reset the password of your account at ${store}.`,
            `The link works once, for ${duration('en', validMinutes)}. If you did not ask for this, ignore this email: your password stays as it is.`,
          ],
        };
    }
  },
  de: ({ kind, branding, firstName, validMinutes }) => {
    const store = branding.storeName;
    const greeting = firstName ? `Hallo ${firstName},` : 'Hallo,';
    const closing = `Ihr Team von ${store}`;
    switch (kind) {
      case 'WELCOME':
        return { greeting, closing, subject: `Willkommen bei ${store}`, action: 'Zu Ihrem Konto', paragraphs: [`Ihr Kundenkonto bei ${store} ist eingerichtet. Schön, dass Sie da sind!`] };
      case 'EMAIL_VERIFICATION':
        return {
          greeting,
          closing,
          subject: `Bitte bestätigen Sie Ihre E-Mail-Adresse für ${store}`,
          action: 'E-Mail-Adresse bestätigen',
          paragraphs: [
            `Bitte bestätigen Sie, dass diese E-Mail-Adresse Ihnen gehört.`,
            `Der Link ist ${duration('de', validMinutes)} gültig. Wenn Sie kein Konto bei ${store} angelegt haben, können Sie diese E-Mail ignorieren.`,
          ],
        };
      case 'PASSWORD_RESET':
        return {
          greeting,
          closing,
          subject: `Passwort für ${store} zurücksetzen`,
          action: 'Neues Passwort festlegen',
          paragraphs: [
            `Wir haben eine Anfrage erhalten, das Passwort Ihres Kontos bei ${store} zurückzusetzen.`,
            `Der Link ist einmal und ${duration('de', validMinutes)} lang gültig. Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.`,
          ],
        };
    }
  },
};

/** The template language for a customer: their own preference, else the store's, else English. */
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
  if (typeof record.logoUrl === 'string' && URL.canParse(record.logoUrl) && new URL(record.logoUrl).protocol === 'https:') logoUrl = record.logoUrl;
  return { storeName, primaryColor: color, logoUrl };
}

/** Renders a customer mail as plain text and HTML, in the store's branding. */
export function renderCustomerMail(content: MailContent): RenderedMail {
  const wording = WORDINGS[content.language](content);
  const text = [wording.greeting, '', ...wording.paragraphs.flatMap((paragraph) => [paragraph, '']), `${wording.action}: ${content.link}`, '', wording.closing, ''].join('\n');

  const { branding } = content;
  const color = branding.primaryColor ?? DEFAULT_COLOR;
  const header = branding.logoUrl
    ? `<img src="${escapeHtml(branding.logoUrl)}" alt="${escapeHtml(branding.storeName)}" style="max-height:48px">`
    : `<span style="font-size:20px;font-weight:bold;color:${color}">${escapeHtml(branding.storeName)}</span>`;
  const html = `<!doctype html>
<html lang="${content.language}">
<head><meta charset="utf-8"><title>${escapeHtml(wording.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#111827">
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#ffffff;border-top:4px solid ${color};border-radius:4px">
<tr><td style="padding:24px">${header}</td></tr>
<tr><td style="padding:0 24px 24px;font-size:15px;line-height:1.5">
<p>${escapeHtml(wording.greeting)}</p>
${wording.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
<p><a href="${escapeHtml(content.link)}" style="display:inline-block;padding:12px 20px;background:${color};color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(wording.action)}</a></p>
<p style="font-size:13px;color:#6b7280">${escapeHtml(content.link)}</p>
<p>${escapeHtml(wording.closing)}</p>
</td></tr>
</table>
</body>
</html>
`;
  return { subject: wording.subject, text, html };
}
