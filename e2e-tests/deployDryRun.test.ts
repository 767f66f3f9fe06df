import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { expect, test } from './fixtures';

const TEMPLATE_DIR = path.join(__dirname, '..', 'templates', 'deploy-model');

function directoryContents(dir: string, base = dir): any[] {
  return fs.readdirSync(dir).flatMap(f => {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) return directoryContents(p, base);
    if (f === 'template.yaml') return [];
    return [
      {
        path: path.relative(base, p),
        base64Content: fs.readFileSync(p).toString('base64'),
      },
    ];
  });
}

test('the scaffolder dry-run API runs Deploy a model and returns manifests that pass the Kubernetes schemas', async ({
  request,
}) => {
  test.setTimeout(120_000);
  const refresh = await request.get('/api/auth/guest/refresh', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token = (await refresh.json()).backstageIdentity.token as string;
  const template = yaml.parse(
    fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
  );
  const values = {
    name: 'qwen-7b-dry-run',
    source: 'Qwen/Qwen2.5-7B-Instruct',
    runtime: 'tgi',
    parametersBillions: 7.6,
    precision: 'bf16',
    gpusPerReplica: 1,
    owner: 'group:default/search-team',
    replicasMin: 0,
    replicasMax: 2,
    traffic: 'sporadic',
    spot: 'allow',
    placement: {},
    namespace: 'models',
    applyNow: false,
    publishTo: 'local',
  };

  // The placement needs the demo fleet synced, a few seconds after start.
  let body: any;
  await expect(async () => {
    const res = await request.post('/api/scaffolder/v2/dry-run', {
      headers: { Authorization: `Bearer ${token}` },
      data: {
        template,
        values,
        secrets: {},
        directoryContents: directoryContents(TEMPLATE_DIR),
      },
    });
    body = await res.json();
    expect(res.status(), JSON.stringify(body).slice(0, 500)).toBe(200);
  }).toPass({ timeout: 90_000, intervals: [5_000] });

  const messages = body.log.map((l: any) => l.body.message as string);
  // Every manifest was checked against the Kubernetes schemas, then by the
  // cluster's API server through the ModelFleet backend (server dry-run),
  // by the deploy step (it fails the run otherwise), and nothing was
  // published.
  expect(messages).toContainEqual(
    expect.stringMatching(
      /Dry-run: the API server of demo-[a-z0-9-]+ accepted 7 object\(s\)/,
    ),
  );
  expect(messages).toContainEqual(
    expect.stringMatching(/Dry-run: would publish /),
  );
  const files = Object.fromEntries(
    body.directoryContents.map((f: any) => [
      f.path,
      Buffer.from(f.base64Content, 'base64').toString('utf8'),
    ]),
  );
  const kinds = Object.keys(files)
    .filter(
      p => p.startsWith('manifests/') && p !== 'manifests/kustomization.yaml',
    )
    .map(p => yaml.parse(files[p]).kind)
    .sort();
  // Scale to zero when idle and wake on a request (wakeOn's default): the
  // KEDA HTTP add-on's HTTPScaledObject instead of an HPA.
  expect(kinds).toEqual([
    'Deployment',
    'HTTPScaledObject',
    'NetworkPolicy',
    'PersistentVolumeClaim',
    'PodDisruptionBudget',
    'Service',
    'ServiceAccount',
  ]);
  const scaler = Object.keys(files)
    .filter(p => p.startsWith('manifests/'))
    .map(p => yaml.parse(files[p]))
    .find(m => m.kind === 'HTTPScaledObject');
  expect(scaler.spec).toMatchObject({
    scaleTargetRef: { name: 'qwen-7b-dry-run' },
    replicas: { min: 0, max: 2 },
  });
  // Requests wait for a node and the model's load, then its answer.
  expect(scaler.spec.timeouts.conditionWait).toMatch(/^\d+s$/);
  expect(parseInt(scaler.spec.timeouts.conditionWait, 10)).toBeGreaterThan(420);
  const model = yaml.parse(files['catalog-info.yaml']);
  expect(model).toMatchObject({
    apiVersion: 'modelfleet.io/v1alpha1',
    kind: 'Model',
    metadata: { name: 'qwen-7b-dry-run' },
    spec: { owner: 'group:default/search-team', runtime: 'tgi' },
  });
  expect(model.spec.runsOn[0]).toMatch(/^gpupool:default\/demo-/);
  const deployment = yaml.parse(files['manifests/deployment.yaml']);
  const pod = deployment.spec.template.spec;
  expect(pod.securityContext.runAsNonRoot).toBe(true);
  expect(Object.keys(pod.nodeSelector).length).toBeGreaterThan(0);
  expect(pod.containers[0].startupProbe.failureThreshold).toBeGreaterThan(10);
});
