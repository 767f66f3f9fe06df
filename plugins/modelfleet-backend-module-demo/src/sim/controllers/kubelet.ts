import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { seedOf } from '../../replay';
import { SimTimer } from '../clock';
import { StoredObject } from '../objects';
import { ClusterContext } from './context';
import { Controller } from './manager';
import { isNodeReady, isPodReady } from './placement';

/**
 * Measured base-model load times (ms), sorted: the Alibaba GenAI trace's
 * `basemodel_update_latency_anon.csv` (7,531 loads, p50 22.7 s).
 */
export function readLoadLatencies(file: string): Float64Array {
  const rows: Record<string, string>[] = parse(fs.readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  const values = rows
    .map(r => Number(r.value))
    .filter(v => Number.isFinite(v) && v > 0);
  if (values.length === 0) throw new Error(`${file} has no load times`);
  return Float64Array.from(values.sort((a, b) => a - b));
}

/** A deterministic draw in [0, 1) from a text. */
export function unitOf(text: string): number {
  let h = seedOf(text);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** A load time drawn from the measured ones, the same for the same pod name. */
export function drawLoadTime(latencies: Float64Array, podName: string): number {
  return latencies[Math.floor(unitOf(podName) * latencies.length)];
}

const MANAGER = 'kubelet';

/**
 * The kubelets: a pod bound to a Ready node starts Running at once (images
 * are cached) and turns Ready when its model has loaded, after a load
 * time drawn per pod from the measured base-model load times.
 */
export class Kubelet implements Controller {
  readonly name = 'kubelet';
  private readonly timers = new Map<string, SimTimer>();
  private ipSeq = 0;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly loadTimeMs: (pod: StoredObject) => number,
  ) {}

  reconcile(): void {
    const { store, types } = this.ctx;
    const nodes = new Map(
      store.list(types.node).map(n => [n.metadata.name, n]),
    );
    const live = new Set<string>();
    for (const pod of store.list(types.pod)) {
      live.add(pod.metadata.uid);
      const node = pod.spec?.nodeName
        ? nodes.get(pod.spec.nodeName)
        : undefined;
      if (!node) continue;
      if (pod.status?.phase === 'Pending' && isNodeReady(node))
        this.start(pod, node);
      else if (
        pod.status?.phase === 'Running' &&
        !isPodReady(pod) &&
        !this.timers.has(pod.metadata.uid)
      ) {
        this.scheduleReady(pod);
      }
    }
    for (const [uid, timer] of this.timers) {
      if (!live.has(uid)) {
        this.ctx.clock.clearTimeout(timer);
        this.timers.delete(uid);
      }
    }
  }

  /** Makes every running pod Ready now (a fleet that was running before the start). */
  readyAllNow(): void {
    for (const pod of this.ctx.store.list(this.ctx.types.pod)) {
      if (pod.status?.phase !== 'Running' || isPodReady(pod)) continue;
      this.ctx.clock.clearTimeout(this.timers.get(pod.metadata.uid));
      this.timers.delete(pod.metadata.uid);
      this.ready(pod);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) this.ctx.clock.clearTimeout(t);
    this.timers.clear();
  }

  private start(pod: StoredObject, node: StoredObject): void {
    const time = this.ctx.time();
    const seq = ++this.ipSeq;
    const hostIP = (node.status?.addresses ?? []).find(
      (a: any) => a.type === 'InternalIP',
    )?.address;
    const started = this.ctx.modify(this.ctx.types.pod, pod, MANAGER, draft => {
      const scheduled = (draft.status?.conditions ?? []).find(
        (c: any) => c.type === 'PodScheduled',
      );
      draft.status = {
        ...draft.status,
        phase: 'Running',
        startTime: time,
        ...(hostIP ? { hostIP, hostIPs: [{ ip: hostIP }] } : {}),
        podIP: `172.16.${(seq >> 8) % 256}.${seq % 256}`,
        podIPs: [{ ip: `172.16.${(seq >> 8) % 256}.${seq % 256}` }],
        conditions: [
          {
            type: 'PodReadyToStartContainers',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: time,
          },
          {
            type: 'Initialized',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: time,
          },
          {
            type: 'Ready',
            status: 'False',
            reason: 'ContainersNotReady',
            message: 'containers with unready status: [server]',
            lastProbeTime: null,
            lastTransitionTime: time,
          },
          {
            type: 'ContainersReady',
            status: 'False',
            reason: 'ContainersNotReady',
            lastProbeTime: null,
            lastTransitionTime: time,
          },
          scheduled ?? {
            type: 'PodScheduled',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: time,
          },
        ],
        containerStatuses: (draft.spec?.containers ?? []).map(
          (c: any, i: number) => ({
            name: c.name,
            image: c.image,
            imageID: `${c.image}@sha256:${String(seedOf(c.image)).padStart(
              64,
              '0',
            )}`,
            containerID: `containerd://${String(
              seedOf(`${draft.metadata.uid}/${i}`),
            ).padStart(64, '0')}`,
            ready: false,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: time } },
          }),
        ),
      };
    });
    if (started) this.scheduleReady(started);
  }

  private scheduleReady(pod: StoredObject): void {
    const uid = pod.metadata.uid;
    const startedAt =
      Date.parse(pod.status?.startTime ?? '') || this.ctx.clock.now();
    const due = startedAt + this.loadTimeMs(pod);
    this.timers.set(
      uid,
      this.ctx.clock.at(due, () => {
        this.timers.delete(uid);
        this.ready(pod);
      }),
    );
  }

  private ready(pod: StoredObject): void {
    const current = this.ctx.store.get(
      this.ctx.types.pod,
      pod.metadata.namespace,
      pod.metadata.name,
    );
    if (
      !current ||
      current.metadata.uid !== pod.metadata.uid ||
      current.status?.phase !== 'Running'
    )
      return;
    const time = this.ctx.time();
    this.ctx.modify(this.ctx.types.pod, current, MANAGER, draft => {
      draft.status.conditions = (draft.status.conditions ?? []).map((c: any) =>
        c.type === 'Ready' || c.type === 'ContainersReady'
          ? {
              type: c.type,
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: time,
            }
          : c,
      );
      draft.status.containerStatuses = (
        draft.status.containerStatuses ?? []
      ).map((c: any) => ({
        ...c,
        ready: true,
      }));
    });
  }
}
