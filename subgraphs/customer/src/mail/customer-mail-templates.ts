import { renderMail, type MailBranding, type MailLanguage, type MailWording, type RenderedMail } from '@commerce/mail';

/** The mails a store sends its customers. */
export type CustomerMailKind = 'WELCOME' | 'EMAIL_VERIFICATION' | 'PASSWORD_RESET';

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

function duration(language: MailLanguage, minutes: number): string {
  if (minutes % 1440 === 0) {
    const days = minutes / 1440;
    return language === 'de' ? `${days} ${days === 1 ? 'Tag' : 'Tage'}` : `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return language === 'de'
      ? `${hours} ${hours === 1 ? 'Stunde' : 'Stunden'}`
      : `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  }
  return language === 'de' ? `${minutes} Minuten` : `${minutes} minutes`;
}

const WORDINGS: Record<MailLanguage, (content: MailContent) => MailWording> = {
  en: ({ kind, branding, firstName, validMinutes }) => {
    const store = branding.storeName;
    const greeting = firstName ? `Hello ${firstName},` : 'Hello,';
    const closing = `The ${store} team`;
    switch (kind) {
      case 'WELCOME':
        return {
          greeting,
          closing,
          subject: `Welcome to ${store}`,
          action: 'Go to your account',
          paragraphs: [`Your customer account at ${store} is ready. Thank you for signing up!`],
        };
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
        return {
          greeting,
          closing,
          subject: `Willkommen bei ${store}`,
          action: 'Zu Ihrem Konto',
          paragraphs: [`Ihr Kundenkonto bei ${store} ist eingerichtet. Schön, dass Sie da sind!`],
        };
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

/** Renders a customer mail as plain text and HTML, in the store's branding. */
export function renderCustomerMail(content: MailContent): RenderedMail {
  return renderMail(content.language, content.branding, WORDINGS[content.language](content), content.link);
}
