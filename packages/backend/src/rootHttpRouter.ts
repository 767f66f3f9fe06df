/*
 * The portal's root HTTP router: Backstage's default one, plus a keep-alive
 * grace period on the HTTP server, and error responses that show no internal
 * detail in production (errorResponses.ts).
 *
 * Why: the backend calls itself over HTTP. For every user request to
 * /api/permission/authorize, the permission backend asks the userInfo service,
 * which fetches /api/auth/v1/userinfo from this very process with Node's global
 * fetch (undici). undici keeps the connection for reuse and honours the
 * `Keep-Alive: timeout=N` header the server sends: it stops reusing a
 * connection N - 2 seconds after the last response (its
 * keepAliveTimeoutThreshold; N = 5 by default). Node's
 * server closes it N + 1 seconds after (`keepAliveTimeoutBuffer`, 1 s by
 * default). Between the two there are only 3 seconds, and client and server
 * share one event loop: when the loop is blocked for longer than that right
 * after the client wrote a request onto a reused connection (synchronous
 * SQLite, module loading, a busy CPU), the server's keep-alive timer is run
 * before the request is read. The server destroys the connection with the
 * request unread, the kernel answers with a reset, and the fetch fails with
 * ECONNRESET, so /api/permission/authorize answers 500.
 *
 * Raising `backend.server.keepAliveTimeout` does not help: the advertised
 * timeout grows with it and so does undici's, the gap stays 3 seconds. What
 * widens the gap is the time the server waits beyond what it advertises:
 * `server.keepAliveTimeoutBuffer` (Node >= 22.19 / 24.6). Clients that honour
 * the header close their idle connections long before; the buffer only
 * matters for a request that is already on its way, and for clients that
 * ignore the header (browsers, proxies, load balancers, whose idle timeout is
 * typically 60 s), which now find the connection still open.
 */

import type { Server } from 'node:http';
import {
  rootHttpRouterServiceFactory,
  RootHttpRouterConfigureContext,
} from '@backstage/backend-defaults/rootHttpRouter';
import {
  hideErrorDetails,
  searchIndexNotReady,
  showErrorDetails,
} from './errorResponses';

/**
 * How long the server keeps an idle keep-alive connection open beyond the
 * `Keep-Alive: timeout` it advertises. 60 s: an event-loop stall that long
 * means the backend is down anyway, and it keeps a connection open longer
 * than the usual 60 s idle timeout of proxies and load balancers in front of
 * the portal.
 */
export const KEEP_ALIVE_TIMEOUT_BUFFER_MS = 60_000;

/** Whether this Node.js honours `server.keepAliveTimeoutBuffer`. */
export function supportsKeepAliveTimeoutBuffer(nodeVersion: string): boolean {
  const [major, minor] = nodeVersion.split('.').map(Number);
  return (
    major > 24 || (major === 24 && minor >= 6) || (major === 22 && minor >= 19)
  );
}

/** Sets the keep-alive grace period on the backend's HTTP(S) server. */
export function applyKeepAliveTimeoutBuffer(
  server: Server,
  logger: Pick<RootHttpRouterConfigureContext['logger'], 'warn'>,
): void {
  server.keepAliveTimeoutBuffer = KEEP_ALIVE_TIMEOUT_BUFFER_MS;
  if (!supportsKeepAliveTimeoutBuffer(process.versions.node)) {
    logger.warn(
      `Node.js ${process.versions.node} ignores server.keepAliveTimeoutBuffer: ` +
        'idle keep-alive connections are closed 1 s after the advertised ' +
        'timeout, and calls the backend makes to itself can fail with ' +
        'ECONNRESET when the event loop is busy. Use Node.js >= 22.19 or >= 24.6.',
    );
  }
}

/**
 * Configures the root HTTP router: unless `backend.showErrorDetails` allows
 * them, error responses lose their stack traces and the messages of server
 * errors (see errorResponses.ts); then the defaults, with `backend.server.*`
 * from app-config applied as usual; then the keep-alive grace period.
 */
export function configureRootHttpRouter(
  context: RootHttpRouterConfigureContext,
): void {
  if (!showErrorDetails(context.config)) {
    // First, so that it sees the responses of every router after it.
    context.app.use(hideErrorDetails(context.logger));
  }
  // After it, so that its 503 is written before the details are hidden.
  context.app.use(searchIndexNotReady());
  context.applyDefaults();
  applyKeepAliveTimeoutBuffer(context.server, context.logger);
}

/** The root HTTP router the portal backend uses; see configureRootHttpRouter. */
export const rootHttpRouterService = rootHttpRouterServiceFactory({
  configure: configureRootHttpRouter,
});
