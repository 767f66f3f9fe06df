import {
  HibernationDecisionView,
  HibernationState,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ClusterActuator,
  EngineWake,
  PodStart,
} from '@modelfleet/plugin-modelfleet-node';
import { ActionService } from '../actions/ActionService';
import { ResolvedModel } from '../actions/ModelTargets';
import { ActuatorDirectory } from '../actions/types';
import { HibernationStore } from '../database/HibernationStore';
import { ModelRequest, planModelAction } from '../engines/actions/modelPlans';
import {
  decideHibernation,
  HibernationStep,
} from '../engines/hibernation/decide';
import { LearnedIdle } from '../engines/hibernation/history';
import { nextChangeOf } from '../engines/hibernation/nextChange';
import {
  stateOf,
  stateOfModel,
  trackWakes,
} from '../engines/hibernation/wakes';
import type { PassModel } from './HibernationLoop';

/** Who the hibernation loop's actions are requested by. */
export const HIBERNATION_ACTOR = 'policy:hibernation';

const ACTIVE_STATES = [
  'planned',
  'applying',
  'verifying',
  'rollingBack',
] as const;

/**
 * The spot fallback loop's advice waiting for a person (a spot companion
 * or stand-in of a dry-run team): it may stand for days, and the spot
 * fallback loop decides it again after a hibernation (a model at zero
 * needs no companion), so it does not hold the model's hibernation.
 */
const standingSpotAdvice = (a: {
  kind: string;
  state: string;
  dryRun: boolean;
}) => a.kind === 'spot-fallback' && a.state === 'planned' && a.dryRun;

/** Minutes within which the loop asks for the same change once (enforce). */
const ENFORCE_BUCKET_MS = 5 * 60_000;

/**
 * Times a model's wakes from zero: compares its state now with the one
 * the previous pass stored, with its pods' creation and Ready times where
 * the actuator lists them; a wake ModelFleet asked for (its latest Wake
 * action) is not a cold start. Returns the workload's annotations.
 */
export async function observe(o: {
  resolved: ResolvedModel;
  now: number;
  store: HibernationStore;
  actuators: ActuatorDirectory;
  actions: ActionService;
}): Promise<Record<string, string>> {
  const target = o.resolved.target!;
  const w = target.workload;
  const actuator = await o.actuators.forCluster(w.cluster);
  const object = await actuator.get(w.cluster, {
    apiVersion: 'apps/v1',
    kind: w.kind,
    namespace: w.namespace,
    name: w.name,
  });
  const previous = await o.store.get(o.resolved.entityRef);
  const state = stateOf(target.replicas);
  const [open] = (
    await o.store.wakes(
      o.resolved.entityRef,
      new Date(o.now - 86_400_000),
      new Date(o.now + 1),
      1,
    )
  ).filter(x => !x.readyAt);
  if (target.engine) await recordEngineWakes(o, actuator);
  if (previous?.state === 'atZero' || open) {
    let pods: PodStart[] | undefined;
    try {
      pods = await actuator.podStarts?.(w);
    } catch {
      // Timed by the passes instead.
    }
    const wake = (
      await o.actions.list({ entityRef: o.resolved.entityRef, limit: 10 })
    ).find(a => a.kind === 'wake' || a.kind === 'scale');
    const t = trackWakes({
      previous,
      state,
      now: o.now,
      ...(pods ? { pods } : {}),
      ...(open ? { open } : {}),
      ...(wake ? { wokenByModelFleetAt: Date.parse(wake.createdAt) } : {}),
    });
    if (t.add) {
      await o.store.addWake({ entityRef: o.resolved.entityRef, ...t.add });
    }
    if (t.ready) {
      await o.store.wakeReady(
        o.resolved.entityRef,
        t.ready.startedAt,
        t.ready.readyAt,
      );
    }
  }
  return object?.metadata.annotations ?? {};
}

/**
 * The wakes of a sleep-tier model's engine that requests caused, as its
 * wake gate logged them (exact start and length), those not stored yet:
 * each a cold start, a request having waited for it (its replicas stay,
 * so its pods time none of these). A gate that cannot say (one rendered
 * before it logged wakes, a pod going) is asked again at the next pass;
 * its log keeps the last 100.
 */
async function recordEngineWakes(
  o: { resolved: ResolvedModel; store: HibernationStore; now: number },
  actuator: ClusterActuator,
): Promise<void> {
  if (!actuator.engineWakes) return;
  let wakes: EngineWake[];
  try {
    wakes = await actuator.engineWakes(o.resolved.target!.workload);
  } catch {
    return;
  }
  if (wakes.length === 0) return;
  const ref = o.resolved.entityRef;
  const starts = wakes.map(wake => Date.parse(wake.startedAt));
  const known = new Set(
    (
      await o.store.wakes(
        ref,
        new Date(Math.min(...starts)),
        new Date(Math.max(o.now, ...starts) + 1),
      )
    ).map(x => Date.parse(x.startedAt)),
  );
  for (const [i, wake] of wakes.entries()) {
    if (known.has(starts[i])) continue;
    known.add(starts[i]);
    await o.store.addWake({
      entityRef: ref,
      startedAt: new Date(starts[i]).toISOString(),
      readyAt: new Date(
        starts[i] + Math.round(wake.seconds * 1000),
      ).toISOString(),
      cold: true,
    });
  }
}

/**
 * Decides for one model and, when the decision is a change, asks for it on
 * the action path (one change in flight per model); records what it saw
 * and decided. Returns what became of it.
 */
export async function actOn(o: {
  model: PassModel;
  learned: LearnedIdle;
  now: number;
  store: HibernationStore;
  actions: ActionService;
}): Promise<'acted' | 'recommended' | 'unchanged'> {
  const { resolved, policy } = o.model;
  const target = resolved.target!;
  const ref = resolved.entityRef;
  const recent = await o.actions.list({ entityRef: ref, limit: 10 });
  const learned = await withLastWake(o.learned, o.store, ref, o.now);
  const autoscaler = target.autoscaler;
  let heldBy: string | undefined;
  let pausedByPolicy = false;
  if (autoscaler?.pausedReplicas !== undefined) {
    const pauser = recent.find(
      a =>
        a.state === 'done' &&
        a.steps.some(
          s => s.do.op === 'pauseAutoscaler' && s.do.replicas !== null,
        ),
    );
    if (pauser?.requestedBy === HIBERNATION_ACTOR) pausedByPolicy = true;
    else heldBy = pauser?.requestedBy ?? 'a pause set outside ModelFleet';
  }
  if (target.engine && !heldBy) heldBy = personWhoWokeIt(recent, learned);
  const step = decideHibernation(
    {
      annotations: {
        ...o.model.workloadAnnotations,
        ...(resolved.entity.metadata.annotations ?? {}),
      },
      replicas: target.replicas,
      inFlight: 0,
      ...(learned.idleSince !== undefined
        ? { idleSince: learned.idleSince }
        : {}),
      ...(learned.decision ? { learned: learned.decision } : {}),
      ...(autoscaler
        ? {
            autoscaler: {
              keepAliveSeconds: autoscaler.keepAliveSeconds ?? 300,
              paused: pausedByPolicy,
            },
          }
        : {}),
      ...(heldBy ? { heldBy } : {}),
      ...(target.engine
        ? {
            engine: {
              sleeping:
                target.engine.pods > 0 &&
                target.engine.sleeping >= target.engine.pods,
              wakeSeconds: policy.hibernation.sleepWakeSeconds,
            },
          }
        : {}),
    },
    policy.hibernation,
    o.now,
    policy.maintenanceWindows,
  );
  const at = new Date(o.now).toISOString();
  let decision: HibernationDecisionView = {
    action: step.action,
    reason: step.reason,
    at,
    ...(step.action === 'setKeepAlive' ? { seconds: step.seconds } : {}),
    ...(step.action === 'wake' ? { replicas: step.replicas } : {}),
  };
  let outcome: 'acted' | 'recommended' | 'unchanged' = 'unchanged';
  if (step.action !== 'none') {
    const pending = recent.find(
      a =>
        (ACTIVE_STATES as readonly string[]).includes(a.state) &&
        !standingSpotAdvice(a),
    );
    const request = requestOf(step);
    const plan = planModelAction(target, request);
    if (pending) {
      decision = {
        ...decision,
        reason: `${step.reason} (waits: ${pending.kind} action ${pending.id} is ${pending.state})`,
        ...(pending.requestedBy === HIBERNATION_ACTOR
          ? { actionId: pending.id }
          : {}),
      };
    } else if (!plan.ok) {
      decision = { action: 'none', reason: plan.reason, at };
    } else {
      const recommend = policy.hibernation.mode === 'recommend';
      const dryRun = policy.dryRun || recommend;
      const bucket = recommend
        ? at.slice(0, 10)
        : String(Math.floor(o.now / ENFORCE_BUCKET_MS));
      const { action, created } = await o.actions.request({
        idempotencyKey: `hibernation:${ref}:${request.kind}:${valueOf(
          request,
        )}:${bucket}`,
        kind: plan.kind,
        entityRef: ref,
        cluster: plan.cluster,
        steps: plan.steps,
        dryRun,
        requestedBy: HIBERNATION_ACTOR,
        reason: `${plan.summary}: ${step.reason}`,
      });
      decision = { ...decision, actionId: action.id };
      if (created) outcome = dryRun ? 'recommended' : 'acted';
    }
  }
  const state: HibernationState = stateOfModel(target.replicas, target.engine);
  const keepAlive = learned.decision?.keepAliveSeconds;
  const nextChange = nextChangeOf({
    policy: policy.hibernation,
    state,
    sleepTier: target.engine !== undefined,
    ...(learned.idleSince !== undefined
      ? { idleSince: learned.idleSince }
      : {}),
    ...(learned.decision ? { learned: learned.decision } : {}),
    now: o.now,
  });
  await o.store.put({
    entityRef: ref,
    state,
    replicas: target.replicas,
    keepAliveSeconds:
      keepAlive !== undefined && Number.isFinite(keepAlive)
        ? Math.round(keepAlive)
        : null,
    keepAliveReason:
      learned.decision?.reason ??
      'no request history yet: its autoscaler keeps its keep-alive',
    decision,
    ...(nextChange ? { nextChange } : {}),
    observedAt: at,
  });
  return outcome;
}

/**
 * What the loop learned, idle since the last request it knows of: a wake
 * a request caused (a cold start, or a sleeping engine's wake its gate
 * logged) is read from the cluster at each pass, while the request history
 * lags by a minute or two; the request was served from the wake's end. A
 * model the history shows busy stays busy.
 */
async function withLastWake(
  learned: LearnedIdle,
  store: HibernationStore,
  ref: string,
  now: number,
): Promise<LearnedIdle> {
  if (learned.idleSince === undefined) return learned;
  const [last] = (
    await store.wakes(ref, new Date(learned.idleSince), new Date(now + 1), 20)
  ).filter(w => w.cold);
  if (!last) return learned;
  const servedAt = Date.parse(last.readyAt ?? last.startedAt);
  return servedAt > learned.idleSince
    ? { ...learned, idleSince: Math.min(servedAt, now) }
    : learned;
}

/**
 * Who woke a model of the sleep tier by hand (Wake now) since it last
 * served a request: the loop leaves its engine awake until traffic comes
 * and idles again, as it leaves a model a person holds at its replicas.
 */
function personWhoWokeIt(
  recent: Awaited<ReturnType<ActionService['list']>>,
  learned: LearnedIdle,
): string | undefined {
  const woken = recent.find(
    a =>
      a.state === 'done' &&
      a.steps.some(s => s.do.op === 'sleepEngine' && s.do.level === null),
  );
  if (!woken || woken.requestedBy === HIBERNATION_ACTOR) return undefined;
  const at = Date.parse(woken.finishedAt ?? woken.updatedAt);
  return learned.idleSince === undefined || at > learned.idleSince
    ? woken.requestedBy
    : undefined;
}

/** The model action a step of the engine asks for. */
function requestOf(
  step: Exclude<HibernationStep, { action: 'none' }>,
): ModelRequest {
  if (step.action === 'setKeepAlive') {
    return { kind: 'keepAlive', seconds: step.seconds };
  }
  if (step.action === 'wake') return { kind: 'wake', replicas: step.replicas };
  if (step.action === 'sleep') return { kind: 'sleep' };
  return { kind: 'hibernate' };
}

/** The figure that tells two requests of one kind apart, in the idempotency key. */
function valueOf(request: ModelRequest): number {
  if (request.kind === 'keepAlive') return request.seconds;
  if (request.kind === 'wake') return request.replicas ?? 0;
  return 0;
}
