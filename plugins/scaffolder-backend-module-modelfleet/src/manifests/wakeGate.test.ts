import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WAKE_GATE_WAKES_PATH } from '@modelfleet/plugin-modelfleet-node';
import { FakeVllm } from '../__testUtils__/fakeVllm';
import {
  findNginxWithLua,
  freePort,
  RunningNginx,
  startNginx,
} from '../__testUtils__/nginxLua';
import { WAKE_GATE } from './constants';
import { renderModelManifests } from './render';
import { baseInput } from './testInput';

/*
 * The wake gate's nginx.conf, as rendered into its ConfigMap, run by a real
 * nginx with the lua-nginx-module (OpenResty's, or Debian's nginx with
 * libnginx-mod-http-lua) in front of a fake vLLM, on loopback.
 */

jest.setTimeout(30_000);

const nginx = findNginxWithLua();
if (!nginx.found) {
  // eslint-disable-next-line no-console
  console.warn(`wakeGate.test.ts is skipped: ${nginx.reason}`);
}
const describeWithNginx = nginx.found ? describe : describe.skip;

/** The wake gate ConfigMap's nginx.conf of a model of the sleep tier. */
function renderedConf(): string {
  const base = baseInput();
  const { manifests } = renderModelManifests({
    ...base,
    traffic: 'sporadic',
    idleTier: 'sleep',
    pool: { ...base.pool, sharing: 'time-slicing' },
  });
  const configMap = manifests.find(
    m => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-wake-gate'),
  );
  return configMap!.data['nginx.conf'];
}

/**
 * What must differ outside the pod, and only that: the gate listens on a
 * free loopback port instead of WAKE_GATE.port, reaches the fake vLLM
 * instead of WAKE_GATE.enginePort, keeps its pid and temporary files in
 * the test's directory instead of the emptyDir at WAKE_GATE.runDir, and
 * loads the Lua module where it is not built in (Debian's nginx).
 */
function rewriteForTest(
  conf: string,
  local: { gatePort: number; enginePort: number; dir: string },
  loadModules: string[],
): string {
  const replaceAll = (text: string, from: string, to: string) => {
    if (!text.includes(from)) {
      throw new Error(`the rendered nginx.conf has no "${from}" to rewrite`);
    }
    return text.split(from).join(to);
  };
  let out = replaceAll(
    conf,
    `listen ${WAKE_GATE.port};`,
    `listen 127.0.0.1:${local.gatePort};`,
  );
  out = replaceAll(
    out,
    `server 127.0.0.1:${WAKE_GATE.enginePort};`,
    `server 127.0.0.1:${local.enginePort};`,
  );
  out = replaceAll(out, `${WAKE_GATE.runDir}/`, `${local.dir}/`);
  return loadModules.map(m => `load_module ${m};\n`).join('') + out;
}

describe('finding nginx with the Lua module', () => {
  it('says why it skips where there is none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-lua-'));
    try {
      // An nginx built without the module, and none beside it.
      const fakeNginx = path.join(dir, 'nginx');
      fs.writeFileSync(
        fakeNginx,
        `#!/bin/sh\necho "nginx version: nginx/1.22.1" >&2\necho "configure arguments: --modules-path=${dir}/modules" >&2\n`,
        { mode: 0o755 },
      );
      const found = findNginxWithLua([path.join(dir, 'absent'), fakeNginx]);
      expect(found).toEqual({ found: false, reason: expect.any(String) });
      const { reason } = found as { reason: string };
      expect(reason).toContain(`${dir}/absent: not found`);
      expect(reason).toContain(`no ${dir}/modules/ngx_http_lua_module.so`);
      expect(reason).toContain('apt-get install nginx libnginx-mod-http-lua');

      // The module beside it: loaded after the NDK it needs.
      fs.mkdirSync(path.join(dir, 'modules'));
      for (const so of ['ndk_http_module.so', 'ngx_http_lua_module.so']) {
        fs.writeFileSync(path.join(dir, 'modules', so), '');
      }
      expect(findNginxWithLua([fakeNginx])).toMatchObject({
        found: true,
        binary: fakeNginx,
        loadModules: [
          `${dir}/modules/ndk_http_module.so`,
          `${dir}/modules/ngx_http_lua_module.so`,
        ],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the rendered wake gate configuration', () => {
  it('names no path of a machine but the container', () => {
    const conf = renderedConf();
    expect(conf).not.toMatch(/load_module|\/usr\/|\/home\/|\/work\//);
    expect(conf).toContain(`pid ${WAKE_GATE.runDir}/nginx.pid;`);
    expect(conf).toContain(`listen ${WAKE_GATE.port};`);
    expect(conf).toContain(`server 127.0.0.1:${WAKE_GATE.enginePort};`);
  });
});

describeWithNginx('the wake gate, run by nginx with the Lua module', () => {
  const fake = new FakeVllm();
  let gate: RunningNginx;
  let url: string;

  beforeAll(async () => {
    if (!nginx.found) return;
    const enginePort = await fake.start();
    const gatePort = await freePort();
    url = `http://127.0.0.1:${gatePort}`;
    gate = await startNginx({
      nginx,
      conf: dir =>
        rewriteForTest(
          renderedConf(),
          { gatePort, enginePort, dir },
          nginx.loadModules,
        ),
      readyUrl: `${url}${WAKE_GATE.healthPath}`,
    });
  });

  afterAll(async () => {
    await gate?.stop();
    await fake.stop();
  });

  beforeEach(() => fake.reset());

  const complete = (body: Record<string, unknown> = { prompt: 'Hello' }) =>
    fetch(`${url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', ...body }),
    });

  it('serves a request that finds the engine asleep after exactly one /wake_up', async () => {
    const res = await complete();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      object: 'text_completion',
      promptLength: 5,
    });
    expect(fake.wakeUps).toBe(1);
    expect(fake.asleep).toBe(false);
    // The completion reached the engine only once the wake had returned.
    expect(fake.calls.indexOf('POST /v1/completions')).toBeGreaterThan(
      fake.answered.indexOf('POST /wake_up'),
    );
    expect(fake.answered.indexOf('POST /wake_up')).toBeGreaterThanOrEqual(0);
  });

  it('passes a request to an awake engine without waking it', async () => {
    fake.asleep = false;
    const res = await complete();
    expect(res.status).toBe(200);
    expect(fake.wakeUps).toBe(0);
    expect(fake.calls).toEqual(['GET /is_sleeping', 'POST /v1/completions']);
  });

  it('wakes the engine once for 10 concurrent requests, and serves them all', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        complete({ prompt: 'x'.repeat(i + 1) }),
      ),
    );
    expect(answers.map(r => r.status)).toEqual(Array(10).fill(200));
    const bodies = await Promise.all(answers.map(r => r.json()));
    expect(bodies.map(b => b.promptLength).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    expect(fake.wakeUps).toBe(1);
    expect(fake.calls.filter(c => c === 'POST /v1/completions')).toHaveLength(
      10,
    );
  });

  it('never wakes the engine for health, metrics, the model list or tokenizing', async () => {
    for (const [method, route] of [
      ['GET', '/health'],
      ['GET', '/metrics'],
      ['GET', '/v1/models'],
      ['POST', '/tokenize'],
    ]) {
      const res = await fetch(`${url}${route}`, {
        method,
        ...(method === 'POST'
          ? {
              headers: { 'content-type': 'application/json' },
              body: '{"prompt":"hi"}',
            }
          : {}),
      });
      expect([route, res.status]).toEqual([route, 200]);
      await res.arrayBuffer();
    }
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('vllm:is_sleeping 1');
    expect(fake.wakeUps).toBe(0);
    expect(fake.asleep).toBe(true);
    expect(fake.calls).not.toContain('GET /is_sleeping');
  });

  it('streams an answer through unbuffered', async () => {
    fake.asleep = false;
    const res = await complete({ prompt: 'Hi', stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    // The engine holds the rest of the stream until the first event has
    // reached the client: a buffering proxy would never deliver it.
    const first = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error('the first event was held back')),
          5000,
        ),
      ),
    ]);
    expect(decoder.decode(first.value)).toContain('"first"');
    fake.releaseStream();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
    }
    expect(rest).toContain('"second"');
    expect(rest).toContain('data: [DONE]');
  });

  it('passes a large request body through whole, after a wake', async () => {
    const prompt = 'y'.repeat(2 * 1024 * 1024);
    const res = await complete({ prompt });
    expect(res.status).toBe(200);
    expect((await res.json()).promptLength).toBe(prompt.length);
    expect(fake.wakeUps).toBe(1);
  });

  it.each([
    ['answers an error', 'status', /POST \/wake_up answered HTTP 500/],
    ['drops its connection', 'reset', /POST \/wake_up answered HTTP 502/],
  ] as const)(
    'answers a clear 503 at once when /wake_up %s, and tries again on the next request',
    async (_what, failWake, reason) => {
      fake.failWake = failWake;
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 3 }, () => complete()),
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(answers.map(r => r.status)).toEqual([503, 503, 503]);
      const bodies = await Promise.all(answers.map(r => r.json()));
      for (const body of bodies) {
        expect(body.error.code).toBe(503);
        expect(body.error.message).toMatch(/did not wake/);
      }
      // The request that woke says why; those that waited for it say so.
      expect(bodies.some(b => reason.test(b.error.message))).toBe(true);
      expect(answers[0].headers.get('retry-after')).toBe('10');
      expect(fake.wakeUps).toBe(1);
      // Nothing reached the sleeping engine.
      expect(fake.calls).not.toContain('POST /v1/completions');

      fake.failWake = 'no';
      const retry = await complete();
      expect(retry.status).toBe(200);
      expect(fake.wakeUps).toBe(2);
    },
  );

  it.each(['/sleep?level=1', '/wake_up', '/collective_rpc', '/%73leep'])(
    'refuses vLLM development endpoint %s on its port',
    async route => {
      const res = await fetch(`${url}${route}`, { method: 'POST' });
      expect(res.status).toBe(403);
      await res.arrayBuffer();
      expect(fake.calls).toEqual([]);
      expect(fake.asleep).toBe(true);
    },
  );

  it('answers the wakes it made, oldest first, with how long each took', async () => {
    const before = Date.now();
    await (await complete()).arrayBuffer();
    fake.reset();
    fake.wakeMs = 600;
    await (await complete()).arrayBuffer();
    fake.reset();
    const res = await fetch(`${url}${WAKE_GATE_WAKES_PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const { wakes } = (await res.json()) as {
      wakes: Array<{ startedAt: string; seconds: number }>;
    };
    // Those of the tests before too: the gate keeps its last 100.
    const mine = wakes.slice(-2);
    expect(mine.map(w => Date.parse(w.startedAt) >= before - 1000)).toEqual([
      true,
      true,
    ]);
    expect(Date.parse(mine[1].startedAt)).toBeGreaterThan(
      Date.parse(mine[0].startedAt),
    );
    expect(mine[0].seconds).toBeGreaterThanOrEqual(0.29);
    expect(mine[1].seconds).toBeGreaterThanOrEqual(0.59);
    expect(mine[1].seconds).toBeLessThan(30);
    // Reading them asks the engine nothing, and wakes nothing.
    expect(fake.calls).toEqual([]);
  });

  it('logs the wakes to stderr', () => {
    expect(gate.log()).toMatch(/wake gate: the engine woke in \d+\.\d s/);
  });
});
