import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * An nginx that runs the lua-nginx-module, as OpenResty does: OpenResty
 * itself (the module built in), or Debian's `nginx` with
 * `libnginx-mod-http-lua` (loaded with `load_module`, after the NDK it
 * needs).
 */
export type NginxWithLua =
  | { found: true; binary: string; loadModules: string[]; version: string }
  | { found: false; reason: string };

const CANDIDATES = [
  process.env.WAKE_GATE_NGINX,
  'openresty',
  '/usr/local/openresty/bin/openresty',
  'nginx',
  '/usr/sbin/nginx',
].filter((c): c is string => !!c);

/** Finds an nginx with the Lua module on this machine, or says why there is none. */
export function findNginxWithLua(candidates = CANDIDATES): NginxWithLua {
  const tried: string[] = [];
  for (const binary of candidates) {
    const run = spawnSync(binary, ['-V'], { encoding: 'utf8' });
    if (run.error) {
      tried.push(`${binary}: not found`);
      continue;
    }
    // nginx -V prints to stderr.
    const out = `${run.stderr}${run.stdout}`;
    const version = out.split('\n')[0].trim();
    if (/ngx_lua|lua-nginx-module/.test(out)) {
      return { found: true, binary, loadModules: [], version };
    }
    const modulesDir =
      /--modules-path=(\S+)/.exec(out)?.[1] ??
      path.join(
        /--prefix=(\S+)/.exec(out)?.[1] ?? '/usr/share/nginx',
        'modules',
      );
    const lua = path.join(modulesDir, 'ngx_http_lua_module.so');
    if (!fs.existsSync(lua)) {
      tried.push(`${binary} (${version}): no ${lua}`);
      continue;
    }
    const ndk = path.join(modulesDir, 'ndk_http_module.so');
    return {
      found: true,
      binary,
      loadModules: fs.existsSync(ndk) ? [ndk, lua] : [lua],
      version,
    };
  }
  return {
    found: false,
    reason: `no nginx with the Lua module (apt-get install nginx libnginx-mod-http-lua, or OpenResty): ${tried.join(
      '; ',
    )}`,
  };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** An nginx started by a test, in its own prefix directory. */
export interface RunningNginx {
  dir: string;
  /** What nginx wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts `nginx` with `conf` in a new temporary prefix directory, in the
 * foreground (the configuration says `daemon off`), in its own process
 * group; resolves once `readyUrl` answers 200. `stop()` ends the group
 * and removes the directory.
 */
export async function startNginx(options: {
  nginx: Extract<NginxWithLua, { found: true }>;
  conf: (dir: string) => string;
  readyUrl: string;
}): Promise<RunningNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wake-gate-'));
  // Run as root, nginx's workers switch to an unprivileged user, who must
  // reach the temporary files nginx creates here.
  fs.chmodSync(dir, 0o755);
  const confPath = path.join(dir, 'nginx.conf');
  fs.writeFileSync(confPath, options.conf(dir));
  let stderr = '';
  const child: ChildProcess = spawn(
    options.nginx.binary,
    ['-p', `${dir}/`, '-c', confPath, '-e', 'stderr'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  let alive = true;
  void exited.then(() => {
    alive = false;
  });

  const stop = async () => {
    if (alive && child.pid) {
      // A fast shutdown: the master ends its workers.
      process.kill(-child.pid, 'SIGTERM');
      const killed = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>(resolve => setTimeout(() => resolve(false), 5000)),
      ]);
      if (!killed) {
        process.kill(-child.pid, 'SIGKILL');
        await exited;
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (!alive) {
      await stop();
      throw new Error(`nginx exited before it served:\n${stderr}`);
    }
    try {
      const res = await fetch(options.readyUrl);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not answer ${options.readyUrl}:\n${stderr}`);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return { dir, log: () => stderr, stop };
}
