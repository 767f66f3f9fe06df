import { LoggerService } from '@backstage/backend-plugin-api';
import { HttpMethod, PatchStrategy } from '@kubernetes/client-node';
import {
  ACTION_STEP_ANNOTATION,
  ActuatorChangeOptions,
  MODELFLEET_FIELD_MANAGER,
} from '@modelfleet/plugin-modelfleet-node';
import { ClusterClient } from './ClusterClient';

/** The query of every write: field manager `modelfleet`, and a server dry run when asked. */
export function writeQuery(options: ActuatorChangeOptions) {
  return {
    fieldManager: MODELFLEET_FIELD_MANAGER,
    dryRun: options.dryRun ? 'All' : undefined,
  };
}

/** The action step annotation a change carries, when it has a step. */
export function stampOf(
  options: ActuatorChangeOptions,
): Record<string, string> {
  return options.actionStep
    ? { [ACTION_STEP_ANNOTATION]: options.actionStep }
    : {};
}

/** A JSON merge patch of the object at `path`. */
export async function mergePatch(
  client: ClusterClient,
  path: string,
  options: ActuatorChangeOptions,
  body: unknown,
): Promise<void> {
  await client.request(HttpMethod.PATCH, path, {
    query: writeQuery(options),
    contentType: PatchStrategy.MergePatch,
    body,
  });
}

/** Logs a change: info, or debug for a dry run, with its action step. */
export function logChange(
  logger: LoggerService,
  cluster: string,
  change: string,
  options: ActuatorChangeOptions,
): void {
  const step = options.actionStep ? ` (action step ${options.actionStep})` : '';
  const message = `${cluster}: ${change}${step}`;
  if (options.dryRun) logger.debug(`${message}, dry run`);
  else logger.info(message);
}
