import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

/** A real SMTP server on loopback that keeps every message it receives. */
export async function startSmtp() {
  const inbox: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((m) => {
          const to = (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
          inbox.push({ to, subject: m.subject ?? '', text: m.text ?? '' });
          waiters.splice(0).forEach((w) => w());
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    /** The newest mail to `address`, waiting up to `ms` for it to arrive. */
    async waitFor(address: string, ms = 5000): Promise<ReceivedMail> {
      const deadline = Date.now() + ms;
      const want = address.toLowerCase();
      for (;;) {
        const found = [...inbox].reverse().find((m) => m.to.includes(want));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${ms} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function codeFrom(mail: ReceivedMail): string {
  const m = /\b(\d{6})\b/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no 6-digit code in mail: ${mail.text}`);
  return m[1];
}
