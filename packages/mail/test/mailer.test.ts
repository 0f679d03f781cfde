import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScopedDatabase, type Database, type PrismaClient } from '@commerce/database';
import { appDatabase, ownerPrisma, unique } from '@commerce/testkit';
import {
  escapeHtml,
  mailerFor,
  mailSettingsFromEnvironment,
  outboxMailer,
  smtpMailer,
  type OutgoingMail,
} from '../src/index.js';

let app: Database;
let owner: PrismaClient;
beforeAll(() => {
  app = appDatabase();
  owner = ownerPrisma();
});
afterAll(async () => {
  await app.disconnect();
  await owner.$disconnect();
});

const saved = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function mail(storeId: string, to: string): OutgoingMail {
  return { storeId, fromName: 'Shop', to, subject: 'Hello', text: 'Plain text', html: '<p>HTML</p>' };
}

describe('mailers', () => {
  it('without an SMTP server, mail goes to the outbox table of its own store only', async () => {
    const storeId = randomUUID();
    await owner.store.create({ data: { id: storeId, name: 'Mail', slug: unique('mail'), currencyCode: 'EUR' } });
    const mailer = mailerFor({ from: 'no-reply@localhost', smtpUrl: null })(new ScopedDatabase(app, { storeId }));
    expect(mailer.kind).toBe('outbox');
    const to = `${unique('to')}@example.com`;
    await mailer.send(mail(storeId, to));
    expect(
      await owner.mailMessage.findMany({
        where: { to },
        select: { storeId: true, subject: true, text: true, html: true },
      }),
    ).toEqual([{ storeId, subject: 'Hello', text: 'Plain text', html: '<p>HTML</p>' }]);

    // Row-level security: a handle scoped to another store cannot write this store's mail.
    const elsewhere = outboxMailer(new ScopedDatabase(app, { storeId: randomUUID() }));
    await expect(elsewhere.send(mail(storeId, to))).rejects.toThrow();
  });

  it('with SMTP_URL, mail goes to that server from MAIL_FROM, one transport for every request', () => {
    const before = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };
    process.env.SMTP_URL = 'smtp://user:secret@127.0.0.1:2525';
    process.env.MAIL_FROM = 'shop@example.com';
    const settings = mailSettingsFromEnvironment();
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    expect(settings).toEqual({ smtpUrl: 'smtp://user:secret@127.0.0.1:2525', from: 'shop@example.com' });
    const mailerOf = mailerFor(settings);
    const mailer = mailerOf(new ScopedDatabase(app, {}));
    expect(mailer.kind).toBe('smtp');
    expect(mailerOf(new ScopedDatabase(app, { storeId: randomUUID() }))).toBe(mailer);
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
