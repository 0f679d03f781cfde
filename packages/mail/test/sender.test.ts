// The mail sender against a real PostgreSQL (a database of its own: no other sender may take its
// mail) and a real SMTP server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inScope, openDatabase, type Database, type PrismaClient } from '@commerce/database';
import { metricsRegistry } from '@commerce/observability';
import { createIsolatedDatabase, eventually, unique } from '@commerce/testkit';
import { startSmtpServer, type TestSmtpServer } from '@commerce/testkit/smtp-kit';
import {
  localMailer,
  MailSender,
  queueMail,
  smtpMailer,
  type Mailer,
  type MailSenderOptions,
  type QueuedMail,
} from '../src/index.js';

let database: { url: string; appUrl: string; drop(): Promise<void> };
let app: Database;
let owner: PrismaClient;
let smtp: TestSmtpServer;
const senders: MailSender[] = [];

beforeAll(async () => {
  database = await createIsolatedDatabase();
  app = openDatabase({ connectionString: database.appUrl, poolSize: 6 });
  owner = openDatabase({ connectionString: database.url, poolSize: 2 }).prisma;
  smtp = await startSmtpServer();
});
afterEach(async () => {
  await Promise.all(senders.splice(0).map((sender) => sender.stop()));
  smtp.answer(() => null);
});
afterAll(async () => {
  await smtp?.close();
  await app?.disconnect();
  await owner?.$disconnect();
  await database?.drop();
});

async function createStore(): Promise<string> {
  const store = await owner.store.create({ data: { name: 'Mail Shop', slug: unique('mail'), currencyCode: 'EUR' } });
  return store.id;
}

function accountMail(storeId: string, to: string): QueuedMail {
  return {
    storeId,
    fromName: 'Mail Shop',
    to,
    subject: 'Reset your password',
    text: 'Follow the link: https://shop.example.com/reset?token=abc',
    html: '<p>Follow the <a href="https://shop.example.com/reset?token=abc">link</a></p>',
  };
}

async function queue(mail: QueuedMail): Promise<void> {
  await inScope(app.prisma, { storeId: mail.storeId }, (tx) => queueMail(tx, mail));
}

function smtpTo(server: TestSmtpServer): Mailer {
  return smtpMailer({ url: server.url, from: 'shop@example.com' });
}

function startSender(mailer: Mailer, options: MailSenderOptions = {}): MailSender {
  const sender = new MailSender(app, mailer, { pollIntervalMs: 50, retryBaseMs: 100, ...options }).start();
  senders.push(sender);
  return sender;
}

function row(storeId: string, to: string) {
  return owner.mailMessage.findFirstOrThrow({ where: { storeId, to } });
}

/** Lets a few polls pass, so that a duplicate would have had its chance. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('the mail sender', () => {
  it('sends a committed mail once, with its plain-text and HTML parts; a rolled-back one never', async () => {
    const storeId = await createStore();
    const kept = `${unique('kept')}@example.com`;
    const rolledBack = `${unique('gone')}@example.com`;
    await expect(
      inScope(app.prisma, { storeId }, async (tx) => {
        await queueMail(tx, accountMail(storeId, rolledBack));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await queue(accountMail(storeId, kept));
    startSender(smtpTo(smtp));

    await eventually('the mail to arrive', () => smtp.to(kept).length > 0);
    await settle();
    const [mail] = smtp.to(kept);
    expect(smtp.to(kept)).toHaveLength(1);
    expect(mail?.from).toBe('"Mail Shop" <shop@example.com>');
    expect(mail?.subject).toBe('Reset your password');
    expect(mail?.text).toContain('https://shop.example.com/reset?token=abc');
    expect(mail?.html).toContain('<a href="https://shop.example.com/reset?token=abc">');
    expect(smtp.to(rolledBack)).toHaveLength(0);
    expect(await owner.mailMessage.count({ where: { to: rolledBack } })).toBe(0);
    const sent = await row(storeId, kept);
    // The reset link is not kept once the mail is out.
    expect(sent).toMatchObject({ status: 'SENT', attempts: 1, lastError: null, text: '', html: '' });
    expect(sent.sentAt).toBeInstanceOf(Date);
  });

  it('loses nothing written while no sender ran, and two senders send each mail exactly once', async () => {
    const storeId = await createStore();
    const otherStoreId = await createStore();
    const addresses = Array.from({ length: 30 }, (_, index) => `${unique(`many${index}`)}@example.com`);
    // Written and committed with no sender running: a process that died right after its commit.
    await Promise.all(addresses.map((to, index) => queue(accountMail(index % 2 === 0 ? storeId : otherStoreId, to))));
    await settle();
    expect(addresses.flatMap((to) => smtp.to(to))).toHaveLength(0);

    startSender(smtpTo(smtp), { batchSize: 3 });
    startSender(smtpTo(smtp), { batchSize: 3 });
    await eventually('every mail to arrive', () => addresses.every((to) => smtp.to(to).length > 0));
    await settle();
    for (const to of addresses) expect(smtp.to(to), to).toHaveLength(1);
    expect(await owner.mailMessage.count({ where: { to: { in: addresses }, status: 'SENT', attempts: 1 } })).toBe(30);
  });

  it('retries after the SMTP server refuses (451) and delivers exactly once when it accepts', async () => {
    const storeId = await createStore();
    const to = `${unique('retry')}@example.com`;
    const offeredBefore = smtp.offered();
    smtp.answer(({ attempt }: { attempt: number }) => (attempt === offeredBefore + 1 ? 451 : null));
    await queue(accountMail(storeId, to));
    startSender(smtpTo(smtp));

    await eventually('the retried mail to arrive', () => smtp.to(to).length > 0);
    await settle();
    expect(smtp.to(to)).toHaveLength(1);
    expect(smtp.offered() - offeredBefore).toBe(2);
    expect(await row(storeId, to)).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
  });

  it('gives a mail up after the bound of attempts, and at once on a permanent refusal (550)', async () => {
    const storeId = await createStore();
    const busy = `${unique('busy')}@example.com`;
    const unknown = `${unique('unknown')}@example.com`;
    smtp.answer(({ to }: { to: string[] }) => (to.includes(unknown) ? 550 : 451));
    await queue(accountMail(storeId, busy));
    await queue(accountMail(storeId, unknown));
    startSender(smtpTo(smtp), { maxAttempts: 3, retryBaseMs: 50 });

    await eventually('both mails to be given up', async () => {
      const failed = await owner.mailMessage.count({ where: { storeId, status: 'FAILED' } });
      return failed === 2;
    });
    expect(await row(storeId, busy)).toMatchObject({ status: 'FAILED', attempts: 3, sentAt: null, text: '' });
    expect((await row(storeId, busy)).lastError).toMatch(/451/);
    expect(await row(storeId, unknown)).toMatchObject({ status: 'FAILED', attempts: 1, sentAt: null });
    expect((await row(storeId, unknown)).lastError).toMatch(/550/);
    expect(smtp.to(busy)).toHaveLength(0);
  });

  it('a sender that dies mid-send leaves its mail to another once its lease ends, and it is sent once', async () => {
    const storeId = await createStore();
    const to = `${unique('lease')}@example.com`;
    await queue(accountMail(storeId, to));
    // The first sender's SMTP exchange never ends, as if its process froze or was killed mid-send.
    let cutOff: (error: Error) => void = () => undefined;
    let claimed = false;
    const frozen: Mailer = {
      kind: 'smtp',
      send: () =>
        new Promise<void>((_resolve, reject) => {
          claimed = true;
          cutOff = reject;
        }),
      close() {},
    };
    startSender(frozen, { leaseMs: 500 });
    await eventually('the first sender to take the mail', () => claimed);
    startSender(smtpTo(smtp), { leaseMs: 500 });

    await eventually('the second sender to deliver it after the lease', () => smtp.to(to).length > 0);
    // The first sender's connection drops at last: what it records must not undo the delivery.
    cutOff(new Error('Connection closed'));
    await settle();
    expect(smtp.to(to)).toHaveLength(1);
    expect(await row(storeId, to)).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
  });

  it('without an SMTP server, mail stays in the outbox, marked LOCAL and readable', async () => {
    const storeId = await createStore();
    const to = `${unique('local')}@example.com`;
    await queue(accountMail(storeId, to));
    startSender(localMailer());
    await eventually('the mail to be kept locally', async () => (await row(storeId, to)).status === 'LOCAL');
    expect(await row(storeId, to)).toMatchObject({
      subject: 'Reset your password',
      text: 'Follow the link: https://shop.example.com/reset?token=abc',
    });
    expect(smtp.to(to)).toHaveLength(0);
  });

  it('reports the mails waiting in the backlog metric, and the retries', async () => {
    const storeId = await createStore();
    const addresses = [`${unique('wait1')}@example.com`, `${unique('wait2')}@example.com`];
    smtp.answer(() => 451);
    for (const to of addresses) await queue(accountMail(storeId, to));
    const value = async (name: string, labels: Record<string, string> = {}) =>
      (await metricsRegistry.getSingleMetric(name)?.get())?.values.find((sample) =>
        Object.entries(labels).every(([label, wanted]) => sample.labels[label] === wanted),
      )?.value ?? 0;
    const retriesBefore = await value('commerce_mail_deliveries_total', { outcome: 'retry' });
    startSender(smtpTo(smtp), { retryBaseMs: 60_000 });
    await eventually('both mails to be refused once', async () => {
      const refused = await owner.mailMessage.count({ where: { storeId, lastError: { not: null } } });
      return refused === 2;
    });
    expect(await value('commerce_mail_outbox_backlog')).toBe(2);
    expect((await value('commerce_mail_deliveries_total', { outcome: 'retry' })) - retriesBefore).toBe(2);
  });

  it('cannot write mail into another store (row-level security)', async () => {
    const storeId = await createStore();
    await expect(
      inScope(app.prisma, { storeId: await createStore() }, (tx) =>
        queueMail(tx, accountMail(storeId, 'x@example.com')),
      ),
    ).rejects.toThrow();
  });
});
