// A real SMTP server for tests (smtp-server), on a free loopback port: it keeps every message it
// accepted, parsed (mailparser), and can refuse messages with a code of the test's choice.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the server accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** What the server answers to a message: accept it (null), or refuse with an SMTP code (451, 550). */
export type SmtpAnswer = (message: { to: string[]; attempt: number }) => number | null;

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  /** Accepted messages, in order. */
  received: ReceivedMail[];
  /** Messages to `address`, in order. */
  to(address: string): ReceivedMail[];
  /** How many messages were offered (accepted or refused). */
  offered(): number;
  /** Changes what the server answers from now on. */
  answer(answer: SmtpAnswer): void;
  close(): Promise<void>;
}

/** Starts an SMTP server without authentication or TLS on 127.0.0.1 and a free port. */
export async function startSmtpServer(answer: SmtpAnswer = () => null): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let current = answer;
  let offered = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((recipient) => recipient.address);
      offered += 1;
      const code = current({ to, attempt: offered });
      simpleParser(stream).then(
        (parsed) => {
          if (code !== null) {
            callback(Object.assign(new Error(`Refused by the test (${code})`), { responseCode: code }));
            return;
          }
          received.push({
            from: parsed.from?.text ?? '',
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('the SMTP server has no port');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    to: (recipient) => received.filter((mail) => mail.to.includes(recipient)),
    offered: () => offered,
    answer(next) {
      current = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
