import { modelEntityV1alpha1Validator } from '@modelfleet/plugin-modelfleet-common';
import yaml from 'yaml';
import { renderModelManifests } from './render';
import { validateManifests } from './validate';
import { baseInput } from './testInput';

// Loading the Kubernetes schemas and starting backends is slow on a loaded CI machine.
jest.setTimeout(60_000);

const byKind = (manifests: Array<Record<string, any>>, kind: string) =>
  manifests.find(m => m.kind === kind)!;

describe('renderModelManifests', () => {
  it('renders a complete, labelled vLLM deployment', () => {
    const { manifests } = renderModelManifests(baseInput());
    expect(manifests.map(m => m.kind)).toEqual([
      'ServiceAccount',
      'PersistentVolumeClaim',
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ]);
    const d = byKind(manifests, 'Deployment');
    expect(d.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'llama-3-1-8b-chat',
      'app.kubernetes.io/component': 'model-server',
      'app.kubernetes.io/managed-by': 'modelfleet',
      'modelfleet.io/model': 'llama-3-1-8b-chat',
      'backstage.io/kubernetes-id': 'llama-3-1-8b-chat',
    });
    expect(d.metadata.namespace).toBe('search');
    expect(d.spec.replicas).toBeUndefined();
    const pod = d.spec.template.spec;
    expect(pod.nodeSelector).toEqual({
      'node.kubernetes.io/instance-type': 'g6.xlarge',
    });
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const c = pod.containers[0];
    expect(c.image).toBe('vllm/vllm-openai:v0.10.1.1');
    expect(c.args.slice(0, 3)).toEqual([
      'meta-llama/Llama-3.1-8B-Instruct',
      '--served-model-name',
      'llama-3-1-8b-chat',
    ]);
    expect(c.args).toEqual(expect.arrayContaining(['--dtype', 'bfloat16']));
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.startupProbe.httpGet.path).toBe('/health');
    expect(
      c.startupProbe.failureThreshold * c.startupProbe.periodSeconds,
    ).toBeGreaterThanOrEqual(600);
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '4Gi' } },
        {
          name: 'model-cache',
          persistentVolumeClaim: { claimName: 'llama-3-1-8b-chat-model-cache' },
        },
      ]),
    );
    const pvc = byKind(manifests, 'PersistentVolumeClaim');
    // 8B × 2 bytes = 14.9 GiB of weights.
    expect(pvc.spec.resources.requests.storage).toBe('30Gi');
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    const hpa = byKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 4 });
    expect(hpa.spec.metrics[0].pods.metric.name).toBe(
      'vllm:num_requests_running',
    );
  });

  it('gives big models a longer startup allowance', () => {
    const probe = (parametersBillions: number) => {
      const { manifests } = renderModelManifests(
        baseInput({
          model: { ...baseInput().model, parametersBillions },
          gpu: { product: 'H100', count: 4, memoryGiB: 160 },
        }),
      );
      const c = byKind(manifests, 'Deployment').spec.template.spec
        .containers[0];
      return c.startupProbe.failureThreshold * c.startupProbe.periodSeconds;
    };
    expect(probe(70)).toBeGreaterThan(probe(8));
    expect(probe(70)).toBeGreaterThanOrEqual(2400);
  });

  it('shards over whole GPUs but not over MIG slices', () => {
    const tp = renderModelManifests(
      baseInput({ gpu: { product: 'H100', count: 4, memoryGiB: 160 } }),
    );
    const args = byKind(tp.manifests, 'Deployment').spec.template.spec
      .containers[0].args;
    expect(args).toEqual(
      expect.arrayContaining(['--tensor-parallel-size', '4']),
    );
    expect(() =>
      renderModelManifests(
        baseInput({
          gpu: { product: 'A100', count: 2, memoryGiB: 40 },
          pool: {
            ...baseInput().pool,
            scheduling: {
              ...baseInput().pool.scheduling,
              gpuResource: 'nvidia.com/mig-3g.40gb',
            },
          },
        }),
      ),
    ).toThrow(/gpu\.count/);
  });

  it('schedules business hours with a cron trigger and a load trigger (keda-poll)', () => {
    const { manifests, entity } = renderModelManifests(
      baseInput({
        traffic: 'business-hours',
        wakeOn: 'keda-poll',
        replicas: { min: 2, max: 5 },
        model: { ...baseInput().model, runtime: 'tgi' },
        hibernation: {
          idleMinutes: 15,
          businessHours: {
            start: '0 7 * * 1-5',
            end: '0 20 * * 1-5',
            timezone: 'Europe/Paris',
          },
        },
      }),
    );
    const so = byKind(manifests, 'ScaledObject');
    expect(so.spec).toMatchObject({
      minReplicaCount: 0,
      maxReplicaCount: 5,
      cooldownPeriod: 900,
    });
    expect(so.spec.triggers).toEqual([
      {
        type: 'cron',
        name: 'business-hours',
        metadata: {
          timezone: 'Europe/Paris',
          start: '0 7 * * 1-5',
          end: '0 20 * * 1-5',
          desiredReplicas: '2',
        },
      },
      expect.objectContaining({
        type: 'prometheus',
        metadata: expect.objectContaining({
          query: expect.stringContaining('tgi_queue_size'),
        }),
      }),
    ]);
    expect(entity.spec.policy?.hibernation).toEqual({
      mode: 'enforce',
      idleMinutes: 15,
      minWarmReplicas: 0,
    });
  });

  it('applies the default business-hours window and idle time', () => {
    const { manifests } = renderModelManifests(
      baseInput({ traffic: 'business-hours', replicas: { min: 0, max: 2 } }),
    );
    // The default wakeOn (http-addon) keeps the window on a ScaledObject.
    const so = byKind(manifests, 'ScaledObject');
    expect(so.spec.cooldownPeriod).toBe(1800);
    expect(so.spec.triggers[0].metadata).toEqual({
      timezone: 'UTC',
      start: '0 8 * * 1-5',
      end: '0 19 * * 1-5',
      desiredReplicas: '1',
    });
  });

  it('scales sporadic Triton models to zero after the idle time (keda-poll)', () => {
    const { manifests } = renderModelManifests(
      baseInput({
        traffic: 'sporadic',
        wakeOn: 'keda-poll',
        hibernation: { idleMinutes: 10 },
        model: { ...baseInput().model, runtime: 'triton' },
      }),
    );
    const so = byKind(manifests, 'ScaledObject');
    expect(so.spec.cooldownPeriod).toBe(600);
    expect(so.spec.triggers).toHaveLength(1);
    expect(so.spec.triggers[0].metadata.query).toContain(
      'nv_inference_pending_request_count',
    );
    const c = byKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(c.image).toMatch(/^nvcr\.io\/nvidia\/tritonserver:/);
    expect(c.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    expect(c.ports.map((p: any) => p.containerPort)).toEqual([
      8000, 8001, 8002,
    ]);
    const svc = byKind(manifests, 'Service');
    expect(svc.spec.ports.map((p: any) => p.name)).toEqual([
      'http',
      'grpc',
      'metrics',
    ]);
    const cm = byKind(manifests, 'ConfigMap');
    expect(JSON.parse(cm.data['model.json'])).toMatchObject({
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      dtype: 'bfloat16',
    });
  });

  it.each([
    ['hf://org/model', 'org/model', undefined],
    ['s3://bucket/models/m/', '/data/models/m', 'aws'],
    ['gs://bucket/models/m', '/data/models/m', 'gcloud'],
    ['oci://registry.example.com/models/m:1', '/data/models/m', 'oras'],
    ['https://example.com/m.tar.gz', '/data/models/m', 'sh'],
  ])('serves %s from %s', async (source, modelRef, fetcher) => {
    const { manifests } = renderModelManifests(
      baseInput({ name: 'm', model: { ...baseInput().model, source } }),
    );
    const pod = byKind(manifests, 'Deployment').spec.template.spec;
    expect(pod.containers[0].args[0]).toBe(modelRef);
    expect(pod.initContainers?.[0]?.command[0]).toBe(fetcher);
    expect(await validateManifests(manifests)).toEqual([]);
  });

  it.each([
    ['vllm', 'fp8', ['--quantization', 'fp8']],
    ['tgi', 'int8', ['--quantize', 'bitsandbytes']],
    ['tgi', 'int4', ['--quantize', 'bitsandbytes-nf4']],
    ['tgi', 'fp16', ['--dtype', 'float16']],
    ['vllm', 'fp32', ['--dtype', 'float32']],
  ] as const)('passes %s the %s precision', (runtime, precision, expected) => {
    const { manifests } = renderModelManifests(
      baseInput({ model: { ...baseInput().model, runtime, precision } }),
    );
    const c = byKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(c.args).toEqual(expect.arrayContaining([...expected]));
  });

  it('does not re-quantize a pre-quantized checkpoint', () => {
    const { manifests } = renderModelManifests(
      baseInput({
        model: {
          source: 'TheBloke/Mistral-7B-Instruct-v0.2-AWQ',
          parametersBillions: 7,
          precision: 'int4',
          runtime: 'tgi',
        },
      }),
    );
    const c = byKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(c.args).not.toContain('--quantize');
  });

  it('opens only the serving port to clients and metrics to monitoring', () => {
    const { manifests } = renderModelManifests(baseInput());
    const np = byKind(manifests, 'NetworkPolicy');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress[0]).toEqual({
      from: [
        { podSelector: {} },
        {
          namespaceSelector: {
            matchLabels: { 'modelfleet.io/model-clients': 'true' },
          },
        },
      ],
      ports: [{ protocol: 'TCP', port: 'http' }],
    });
    expect(np.spec.ingress[1].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'monitoring',
    });
    expect(
      np.spec.egress.flatMap((e: any) => e.ports.map((p: any) => p.port)),
    ).toEqual([53, 53, 443]);
  });

  it('describes the model as a valid Model entity', async () => {
    const { entity, files } = renderModelManifests(
      baseInput({
        spot: 'require',
        monthlyBudgetUsd: 2500,
        system: 'system:default/search',
        pool: { ...baseInput().pool, capacityType: 'spot' },
      }),
    );
    await expect(modelEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
    expect(entity).toMatchObject({
      apiVersion: 'modelfleet.io/v1alpha1',
      kind: 'Model',
      metadata: {
        name: 'llama-3-1-8b-chat',
        annotations: {
          'backstage.io/kubernetes-id': 'llama-3-1-8b-chat',
          'backstage.io/kubernetes-namespace': 'search',
        },
      },
      spec: {
        owner: 'group:default/search-team',
        lifecycle: 'experimental',
        system: 'system:default/search',
        gpu: { types: ['L4'], count: 1, memoryGiB: 19 },
        replicas: { min: 1, max: 4 },
        workload: {
          cluster: 'gpu-aws-use1',
          namespace: 'search',
          kind: 'Deployment',
          name: 'llama-3-1-8b-chat',
        },
        runsOn: ['gpupool:default/gpu-aws-use1.g6-l4'],
        policy: {
          spot: 'prefer',
          monthlyBudgetUsd: 2500,
          hibernation: { mode: 'off', minWarmReplicas: 1 },
        },
      },
    });
    const catalog = files.find(f => f.path === 'catalog-info.yaml')!;
    expect(yaml.parse(catalog.content)).toEqual(entity);
    const kustomization = yaml.parse(
      files.find(f => f.path === 'manifests/kustomization.yaml')!.content,
    );
    expect(kustomization.resources).toContain('deployment.yaml');
  });

  it.each([
    [{ name: 'Llama_3' }, /name:/],
    [{ name: 'a'.repeat(53) }, /name:/],
    [{ name: '3llama' }, /name:/],
    [{ replicas: { min: 3, max: 2 } }, /replicas\.max: max must be ≥ min/],
    [
      { model: { ...baseInput().model, precision: 'fp4' as any } },
      /model\.precision/,
    ],
    [{ model: { ...baseInput().model, source: 'ftp://x/y' } }, /model\.source/],
    [{ gpu: { product: 'L4', count: 0, memoryGiB: 19 } }, /gpu\.count/],
    [{ traffic: 'nightly' as any }, /traffic/],
    [
      {
        hibernation: {
          businessHours: {
            start: '0 8 * * 1-5',
            end: '0 19 * *',
            timezone: 'UTC',
          },
        },
      },
      /hibernation\.businessHours\.end/,
    ],
    [
      {
        hibernation: {
          businessHours: {
            start: '0 8 * * 1-5',
            end: '0 19 * * 1-5',
            timezone: 'Mars/Olympus',
          },
        },
      },
      /hibernation\.businessHours\.timezone/,
    ],
    [
      {
        spot: 'forbid' as const,
        pool: { ...baseInput().pool, capacityType: 'spot' as const },
      },
      /pool\.capacityType/,
    ],
    [{ owner: '' }, /owner/],
  ])('rejects %j naming the field', (overrides, message) => {
    expect(() => renderModelManifests(baseInput(overrides as any))).toThrow(
      message,
    );
    expect(() => renderModelManifests(baseInput(overrides as any))).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });
});
