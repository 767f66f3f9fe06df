import net from 'node:net';

/**
 * Connections the process tried to open to anything but 127.0.0.1; they
 * were refused. Imported first by the test harness, so no client library
 * (nor google-auth-library's metadata-server probe) can reach a real host.
 */
export const blockedConnections: string[] = [];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(
  this: net.Socket,
  ...args: unknown[]
) {
  // http passes normalized arguments: [[options, callback]].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  let host: unknown;
  let port: unknown;
  if (first && typeof first === 'object') {
    const o = first as { host?: string; port?: number; path?: string };
    if (o.path) return (connect as Function).apply(this, args);
    host = o.host ?? 'localhost';
    port = o.port;
  } else {
    port = first;
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  if (!LOOPBACK.has(String(host))) {
    blockedConnections.push(`${host}:${port}`);
    throw new Error(
      `test harness: connection to ${host}:${port} refused (tests stay on 127.0.0.1)`,
    );
  }
  return (connect as Function).apply(this, args);
} as typeof connect;
