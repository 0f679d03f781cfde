// `pnpm mail:outbox`: prints the newest mails of the mail outbox, so a developer can follow a
// verification or password-reset link without a mail server (without SMTP_URL every mail stays
// there, marked LOCAL), and an operator can see what is pending or failed and why.
//   pnpm mail:outbox                       the 10 newest mails of every store
//   pnpm mail:outbox --to ada@example.com  only mails to this address
//   pnpm mail:outbox --store demo --limit 3 --html
// It reads DATABASE_URL, else the embedded PostgreSQL that `pnpm start` runs, as the database
// owner: a developer's view across stores, like `pnpm db:seed`.
import { parseArgs } from 'node:util';
import { embeddedPostgresPort, openDatabase } from '@commerce/database';

const { values } = parseArgs({
  options: {
    to: { type: 'string' },
    store: { type: 'string' },
    limit: { type: 'string', default: '10' },
    html: { type: 'boolean', default: false },
  },
});

const limit = Number(values.limit);
if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
  console.error('--limit must be a whole number from 1 to 1000');
  process.exit(2);
}

const databaseUrl =
  process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${embeddedPostgresPort()}/postgres`;
const { prisma } = openDatabase({ connectionString: databaseUrl, poolSize: 1 });
try {
  const mails = await prisma.mailMessage.findMany({
    where: { to: values.to?.trim().toLowerCase(), store: values.store ? { slug: values.store } : undefined },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    include: { store: { select: { slug: true } } },
  });
  if (mails.length === 0) console.log('The outbox is empty.');
  for (const mail of mails.reverse()) {
    const attempts = mail.attempts === 1 ? '1 attempt' : `${mail.attempts} attempts`;
    console.log(
      `──── ${mail.createdAt.toISOString()}  store ${mail.store.slug}  to ${mail.to}  ${mail.kind}  ${mail.status} (${attempts})`,
    );
    if (mail.lastError) console.log(`Last error: ${mail.lastError}`);
    // Buyer notifications are rendered when the sender takes them up.
    if (!mail.subject) {
      console.log('(not rendered yet: the mail sender renders it when it sends it)\n');
      continue;
    }
    console.log(`Subject: ${mail.subject}\n`);
    console.log(values.html ? mail.html : mail.text);
    console.log('');
  }
} finally {
  await prisma.$disconnect();
}
