import { HttpMethod } from '@kubernetes/client-node';
import {
  ActuatorChangeOptions,
  ActuatorError,
  AutoscalerRef,
  KubeObject,
} from '@modelfleet/plugin-modelfleet-node';
import { ClusterClient } from './ClusterClient';
import {
  autoscalerPath,
  checkCount,
  PAUSED_REPLICAS_ANNOTATION,
} from './resources';
import { mergePatch, stampOf } from './writes';

/** What writing a KEDA autoscaler needs of the actuator. */
export interface AutoscalerWriter {
  autoscaler: AutoscalerRef;
  /** `ScaledObject ml/chat`, for messages. */
  what: string;
  client: ClusterClient;
  /** Runs the requests, turning their errors into ActuatorErrors. */
  call<T>(fn: () => Promise<T>): Promise<T>;
  log(change: string, options: ActuatorChangeOptions): void;
}

/**
 * Pauses a KEDA autoscaler at a replica count
 * (`autoscaling.keda.sh/paused-replicas`), or resumes it (`null`), by a
 * merge patch; nothing is written when it is already so.
 */
export async function pauseAutoscalerOn(
  w: AutoscalerWriter,
  replicas: number | null,
  options: ActuatorChangeOptions,
): Promise<{ previous: number | null }> {
  const { autoscaler, client, what } = w;
  const { path } = autoscalerPath(autoscaler);
  if (replicas !== null) {
    checkCount(autoscaler.cluster, what, 'paused replicas', replicas);
  }
  return w.call(async () => {
    const current = await client.request<KubeObject>(HttpMethod.GET, path);
    const value = current.metadata?.annotations?.[PAUSED_REPLICAS_ANNOTATION];
    let previous: number | null = null;
    if (value !== undefined) {
      if (!/^\d+$/.test(value)) {
        throw new ActuatorError(
          'invalid',
          `${autoscaler.cluster}: ${what}: its ${PAUSED_REPLICAS_ANNOTATION} annotation is '${value}', not a replica count`,
        );
      }
      previous = Number(value);
    }
    if (previous === replicas) return { previous };
    await mergePatch(client, path, options, {
      metadata: {
        annotations: {
          [PAUSED_REPLICAS_ANNOTATION]:
            replicas === null ? null : String(replicas),
          ...stampOf(options),
        },
      },
    });
    w.log(
      replicas === null
        ? `resumed ${what}`
        : `paused ${what} at ${replicas} replicas`,
      options,
    );
    return { previous };
  });
}

/**
 * Sets the scale-to-zero keep-alive of a KEDA autoscaler
 * (`cooldownPeriod` / `scaledownPeriod`); nothing is written when it is
 * already so.
 */
export async function setKeepAliveOn(
  w: AutoscalerWriter,
  seconds: number,
  options: ActuatorChangeOptions,
): Promise<{ previous: number | null }> {
  const { autoscaler, client, what } = w;
  const { path, keepAliveField } = autoscalerPath(autoscaler);
  checkCount(autoscaler.cluster, what, 'the keep-alive', seconds);
  return w.call(async () => {
    const current = await client.request<KubeObject>(HttpMethod.GET, path);
    const value = (current.spec as Record<string, unknown> | undefined)?.[
      keepAliveField
    ];
    const previous = typeof value === 'number' ? value : null;
    if (previous === seconds) return { previous };
    await mergePatch(client, path, options, {
      spec: { [keepAliveField]: seconds },
      ...(options.actionStep
        ? { metadata: { annotations: stampOf(options) } }
        : {}),
    });
    w.log(`set spec.${keepAliveField} of ${what} to ${seconds} s`, options);
    return { previous };
  });
}
