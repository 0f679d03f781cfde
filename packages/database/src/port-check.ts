import net from 'node:net';
import { SettingError } from './settings.js';

/**
 * Resolves when `port` can be listened on at `host`; otherwise throws a SettingError that names
 * `setting`, the variable to change. Checked as a process starts, before its slow steps, so that a
 * port in use is one line at once rather than a stack once everything else has started.
 */
export async function assertPortFree(port: number, host: string, setting: string): Promise<void> {
  if (port === 0) return;
  const failure = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(null)));
  });
  if (!failure) return;
  throw portError(failure, port, host, setting);
}

/** The one line that tells an operator why `port` cannot be listened on, and which setting to change. */
export function portError(error: NodeJS.ErrnoException, port: number, host: string, setting: string): Error {
  if (error.code === 'EADDRINUSE')
    return new SettingError(
      `${setting}=${port}: port ${port} on ${host} is in use by another process; stop it, or set ${setting} to a free port.`,
    );
  if (error.code === 'EACCES')
    return new SettingError(
      `${setting}=${port}: this user may not listen on port ${port}; set ${setting} to a port above 1023.`,
    );
  if (error.code === 'EADDRNOTAVAIL')
    return new SettingError(
      `${setting}=${port}: ${host} is not an address of this machine; set HOST to one of its addresses.`,
    );
  if (error.code === 'ENOTFOUND')
    return new SettingError(
      `HOST=${host}: not a name or address of this machine; set HOST to one of its addresses (127.0.0.1, 0.0.0.0).`,
    );
  return error;
}
