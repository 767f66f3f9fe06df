import { SimTimer } from '../clock';
import { StoredObject } from '../objects';
import { ResourceType } from '../resources';
import { ClusterContext } from './context';
import { Controller } from './manager';

/** The KEDA annotation that pauses an autoscaler at a replica count. */
export const PAUSED_REPLICAS = 'autoscaling.keda.sh/paused-replicas';
/** The KEDA annotation that pauses an autoscaler where it is. */
export const PAUSED = 'autoscaling.keda.sh/paused';

const MANAGER = 'keda-operator';
const DEFAULT_COOLDOWN_S = 300;
const DEFAULT_POLLING_S = 30;

/** What an autoscaler asks for, read from a ScaledObject or HTTPScaledObject. */
interface Autoscaler {
  object: StoredObject;
  type: ResourceType;
  http: boolean;
  target: string;
  min: number;
  max: number;
  cooldownMs: number;
  pollingMs: number;
}

const num = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/**
 * KEDA, for ScaledObjects and HTTPScaledObjects (the HTTP add-on) that
 * scale Deployments: `autoscaling.keda.sh/paused-replicas` scales the
 * target to that count and stops autoscaling (`autoscaling.keda.sh/paused`
 * stops it where it is); otherwise the target is kept within
 * `minReplicaCount`/`maxReplicaCount` (`replicas.min`/`max`), woken from
 * zero to at least one replica by a request, and scaled to zero (when the
 * min is 0) once no request came for `cooldownPeriod`
 * (`scaledownPeriod`) seconds, 300 by default. An HTTPScaledObject's
 * interceptor sees a request at once; a ScaledObject's scaler only at its
 * next poll (`pollingInterval`, 30 s); requests waiting for a replica keep
 * it active. Between one replica and the max,
 * the replicas are left as they are (the HPA's part is not simulated).
 */
export class KedaController implements Controller {
  readonly name = 'keda';
  /** Last request each autoscaler has seen, by its key. */
  private readonly observed = new Map<string, number>();
  private readonly polls = new Map<string, SimTimer>();
  private readonly cooldowns = new Map<string, SimTimer>();
  private readonly latest = new Map<string, number>();

  constructor(
    private readonly ctx: ClusterContext,
    private readonly kick: () => void,
    /** Whether requests are waiting for a Deployment (they keep its autoscalers active). */
    private readonly waiting: (
      namespace: string,
      deployment: string,
    ) => boolean = () => false,
  ) {}

  private key(a: { object: StoredObject }) {
    return `${a.object.kind}/${a.object.metadata.namespace}/${a.object.metadata.name}`;
  }

  /** The autoscalers of the cluster. */
  autoscalers(): Autoscaler[] {
    const { store, types } = this.ctx;
    const out: Autoscaler[] = [];
    for (const o of store.list(types.scaledObject)) {
      const s = o.spec ?? {};
      out.push({
        object: o,
        type: types.scaledObject,
        http: false,
        target: s.scaleTargetRef?.name,
        min: num(s.minReplicaCount, 0),
        max: num(s.maxReplicaCount, 100),
        cooldownMs: num(s.cooldownPeriod, DEFAULT_COOLDOWN_S) * 1000,
        pollingMs: num(s.pollingInterval, DEFAULT_POLLING_S) * 1000,
      });
    }
    for (const o of store.list(types.httpScaledObject)) {
      const s = o.spec ?? {};
      out.push({
        object: o,
        type: types.httpScaledObject,
        http: true,
        target: s.scaleTargetRef?.name ?? s.scaleTargetRef?.deployment,
        min: num(s.replicas?.min, 0),
        max: num(s.replicas?.max, 100),
        cooldownMs: num(s.scaledownPeriod, DEFAULT_COOLDOWN_S) * 1000,
        pollingMs: 0,
      });
    }
    return out;
  }

  /** A request for a Deployment arrived at `at`: its autoscalers see it. */
  onRequest(namespace: string, deployment: string, at: number): void {
    for (const a of this.autoscalers()) {
      if (a.object.metadata.namespace !== namespace || a.target !== deployment)
        continue;
      const key = this.key(a);
      this.latest.set(key, Math.max(this.latest.get(key) ?? 0, at));
      if (a.http) {
        this.observed.set(key, this.latest.get(key)!);
        this.kick();
      } else if (!this.polls.has(key)) {
        const now = this.ctx.clock.now();
        const next = Math.floor(now / a.pollingMs + 1) * a.pollingMs;
        this.polls.set(
          key,
          this.ctx.clock.at(next, () => {
            this.polls.delete(key);
            this.observed.set(key, this.latest.get(key) ?? 0);
            this.kick();
          }),
        );
      }
    }
  }

  reconcile(): void {
    const { store, types, clock } = this.ctx;
    const now = clock.now();
    for (const a of this.autoscalers()) {
      const ns = a.object.metadata.namespace;
      const target = a.target
        ? store.get(types.deployment, ns, a.target)
        : undefined;
      if (!target) {
        this.status(a, {
          ready: false,
          active: false,
          paused: false,
          message: `Target deployment ${ns}/${a.target} not found`,
        });
        continue;
      }
      const key = this.key(a);
      const created =
        Date.parse(a.object.metadata.creationTimestamp ?? '') || now;
      const lastActive = Math.max(this.observed.get(key) ?? 0, created);
      const current = target.spec?.replicas ?? 1;
      const annotations = a.object.metadata.annotations ?? {};
      const pausedAt = annotations[PAUSED_REPLICAS];
      let desired = current;
      // Active, as KEDA's scaler sees it: a request waiting for a replica
      // (the HTTP add-on's pending count), or, for a ScaledObject, a request
      // seen at its last poll (the trigger's rate is above zero until the
      // next one). Activity wakes a model from zero; the cooldown only
      // delays the scale to zero of a model that has replicas: a model
      // someone scaled to zero stays there until a request comes.
      const seen = this.observed.get(key);
      const active =
        this.waiting(ns!, target.metadata.name) ||
        (!a.http && seen !== undefined && now - seen < a.pollingMs);
      const cooling = now < lastActive + a.cooldownMs;
      let paused = false;
      if (pausedAt !== undefined && /^\d+$/.test(pausedAt)) {
        desired = Number(pausedAt);
        paused = true;
      } else if (annotations[PAUSED] === 'true') {
        paused = true;
      } else if (active || (current > 0 && cooling)) {
        desired = Math.min(a.max, Math.max(current, a.min, active ? 1 : 0));
        if (cooling) this.wakeAfter(key, lastActive + a.cooldownMs);
        if (!a.http && seen !== undefined && now < seen + a.pollingMs) {
          this.wakeAfter(`${key}#poll`, seen + a.pollingMs);
        }
      } else {
        desired = a.min === 0 ? 0 : Math.min(a.max, Math.max(current, a.min));
      }
      if (desired !== current) {
        this.ctx.modify(
          types.deployment,
          target,
          MANAGER,
          draft => {
            draft.spec.replicas = desired;
          },
          'scale',
        );
      }
      this.status(a, {
        ready: true,
        active: active && !paused,
        paused,
        lastActive,
        pausedReplicas:
          paused && pausedAt !== undefined ? Number(pausedAt) : undefined,
      });
    }
  }

  private wakeAfter(key: string, due: number): void {
    const old = this.cooldowns.get(key);
    if (old && old.due === due) return;
    this.ctx.clock.clearTimeout(old);
    this.cooldowns.set(
      key,
      this.ctx.clock.at(due, () => {
        this.cooldowns.delete(key);
        this.kick();
      }),
    );
  }

  private status(
    a: Autoscaler,
    s: {
      ready: boolean;
      active: boolean;
      paused: boolean;
      lastActive?: number;
      pausedReplicas?: number;
      message?: string;
    },
  ): void {
    const old = a.object.status ?? {};
    const cond = (
      type: string,
      ok: boolean,
      reason: string,
      message: string,
    ) => {
      const prev = (old.conditions ?? []).find((c: any) => c.type === type);
      return {
        type,
        status: ok ? 'True' : 'False',
        reason,
        message,
        ...(prev?.status === (ok ? 'True' : 'False') && prev.lastTransitionTime
          ? { lastTransitionTime: prev.lastTransitionTime }
          : { lastTransitionTime: this.ctx.time() }),
      };
    };
    const status: any = {
      scaleTargetKind: 'apps/v1.Deployment',
      scaleTargetGVKR: {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        resource: 'deployments',
      },
      ...(s.lastActive ? { lastActiveTime: this.ctx.time(s.lastActive) } : {}),
      ...(s.pausedReplicas !== undefined
        ? { pausedReplicaCount: s.pausedReplicas }
        : {}),
      conditions: [
        cond(
          'Ready',
          s.ready,
          s.ready ? 'ScaledObjectReady' : 'ScaledObjectCheckFailed',
          s.message ??
            'ScaledObject is defined correctly and is ready for scaling',
        ),
        cond(
          'Active',
          s.active,
          s.active ? 'ScalerActive' : 'ScalerNotActive',
          s.active
            ? 'Scaling is performed because triggers are active'
            : 'Scaling is not performed because triggers are not active',
        ),
        cond(
          'Fallback',
          false,
          'NoFallbackFound',
          'No fallbacks are active on this scaled object',
        ),
        cond(
          'Paused',
          s.paused,
          s.paused ? 'ScaledObjectPaused' : 'ScaledObjectUnpaused',
          s.paused
            ? 'ScaledObject is paused'
            : 'pause annotation removed for ScaledObject',
        ),
      ],
    };
    if (JSON.stringify(old) === JSON.stringify(status)) return;
    this.ctx.modify(
      a.type,
      a.object,
      MANAGER,
      draft => {
        draft.status = status;
      },
      'status',
    );
  }

  stop(): void {
    for (const t of [...this.polls.values(), ...this.cooldowns.values()])
      this.ctx.clock.clearTimeout(t);
    this.polls.clear();
    this.cooldowns.clear();
  }
}
