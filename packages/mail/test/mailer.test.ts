import { afterEach, describe, expect, it } from 'vitest';
import { escapeHtml, mailerFor, mailSettingsFromEnvironment, smtpMailer } from '../src/index.js';

const saved = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('mailers', () => {
  it('without an SMTP server, mail stays in the local outbox', () => {
    expect(mailerFor({ from: 'no-reply@localhost', smtpUrl: null }).kind).toBe('local');
  });

  it('with SMTP_URL, mail goes to that server from MAIL_FROM', () => {
    const before = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };
    process.env.SMTP_URL = 'smtp://user:secret@127.0.0.1:2525';
    process.env.MAIL_FROM = 'shop@example.com';
    const settings = mailSettingsFromEnvironment();
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    expect(settings).toEqual({ smtpUrl: 'smtp://user:secret@127.0.0.1:2525', from: 'shop@example.com' });
    const mailer = mailerFor(settings);
    expect(mailer.kind).toBe('smtp');
    mailer.close();
    delete process.env.MAIL_FROM;
    expect(mailSettingsFromEnvironment().from).toBe('no-reply@localhost');
  });

  it('refuses an SMTP_URL that is not smtp:// or smtps://', () => {
    expect(() => smtpMailer({ url: 'http://mail.example.com', from: 'a@example.com' })).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
    expect(smtpMailer({ url: 'smtps://mail.example.com:465', from: 'a@example.com' }).kind).toBe('smtp');
  });

  it('escapes text for HTML', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});
