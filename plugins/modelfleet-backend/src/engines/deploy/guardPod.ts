/**
 * The pod of a workload object: where each kind keeps its pod spec, and
 * what no model's pod needs (privileged containers, added capabilities,
 * the node's namespaces or filesystem, host ports).
 */
import { KubeObject } from '@modelfleet/plugin-modelfleet-common';
import { at, quote } from './shape';

/**
 * Where each workload kind keeps its pod spec. A Map, not an object: the
 * kind is the caller's string (`constructor` must not find a function).
 */
const POD_SPEC_PATHS = new Map<string, string[]>([
  ['Pod', ['spec']],
  ['Deployment', ['spec', 'template', 'spec']],
  ['StatefulSet', ['spec', 'template', 'spec']],
  ['DaemonSet', ['spec', 'template', 'spec']],
  ['ReplicaSet', ['spec', 'template', 'spec']],
  ['ReplicationController', ['spec', 'template', 'spec']],
  ['Job', ['spec', 'template', 'spec']],
  ['PodTemplate', ['template', 'spec']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
]);

/**
 * Where kinds of other API groups keep it, by `<group>/<kind>`: a Knative
 * Service is no core Service. Knative renders a Deployment from the
 * Service's revision template, so it gets the same refusals.
 */
const GROUP_POD_SPEC_PATHS = new Map<string, string[]>([
  ['serving.knative.dev/Service', ['spec', 'template', 'spec']],
  ['serving.knative.dev/Configuration', ['spec', 'template', 'spec']],
  ['serving.knative.dev/Revision', ['spec']],
]);

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where an object keeps its pod spec, when its kind is a known workload. */
function knownPodSpecPath(o: KubeObject): string[] | undefined {
  const apiVersion = typeof o?.apiVersion === 'string' ? o.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return (
    GROUP_POD_SPEC_PATHS.get(`${group}/${o.kind}`) ?? POD_SPEC_PATHS.get(o.kind)
  );
}

/** The pod spec of an object and its path, when it has one. */
export function podSpecOf(
  o: KubeObject,
): { spec: Record<string, any>; path: string } | undefined {
  const known = knownPodSpecPath(o);
  // Unknown workload kinds (a Rollout, a KServe predictor…) are refused by
  // the kind check; their pod template is checked too when it is where
  // the built-in controllers keep it, so every reason is reported at once.
  const path = known ?? ['spec', 'template', 'spec'];
  const spec = at(o, path);
  if (!isObject(spec)) return undefined;
  if (!known && !Array.isArray(spec.containers)) return undefined;
  return { spec, path: path.join('.') };
}

/**
 * Refuses what no model's pod needs: the node's network, process or IPC
 * namespace, a Windows host process, hostPath volumes, privileged or
 * privilege-escalating containers (init and ephemeral too), added
 * capabilities, host ports.
 */
export function checkPodSpec(
  spec: Record<string, any>,
  base: string,
  refuse: (path: string, reason: string) => void,
) {
  const hostNamespaces: Array<[string, string]> = [
    ['hostNetwork', "shares the node's network namespace"],
    ['hostPID', "shares the node's process namespace"],
    ['hostIPC', "shares the node's IPC namespace"],
  ];
  for (const [field, what] of hostNamespaces) {
    if (spec[field] === true) {
      refuse(`${base}.${field}`, `the pod ${what}`);
    }
  }
  if (spec.securityContext?.windowsOptions?.hostProcess === true) {
    refuse(
      `${base}.securityContext.windowsOptions.hostProcess`,
      'the pod runs as a Windows host process',
    );
  }
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.forEach((v: unknown, i: number) => {
    if (isObject(v) && v.hostPath !== undefined) {
      refuse(
        `${base}.volumes[${i}].hostPath`,
        `volume '${quote(v.name ?? i)}' mounts the node's filesystem${
          typeof v.hostPath?.path === 'string' ? ` (${v.hostPath.path})` : ''
        } (hostPath)`,
      );
    }
  });
  for (const list of CONTAINER_LISTS) {
    const containers = Array.isArray(spec[list]) ? spec[list] : [];
    containers.forEach((c: unknown, i: number) => {
      if (!isObject(c)) return;
      const path = `${base}.${list}[${i}]`;
      const name = `container '${quote(c.name ?? i)}'`;
      const sc = isObject(c.securityContext) ? c.securityContext : {};
      if (sc.privileged === true) {
        refuse(
          `${path}.securityContext.privileged`,
          `${name} is privileged (root on the node)`,
        );
      }
      if (sc.allowPrivilegeEscalation === true) {
        refuse(
          `${path}.securityContext.allowPrivilegeEscalation`,
          `${name} may gain more privileges than its parent process`,
        );
      }
      const added = Array.isArray(sc.capabilities?.add)
        ? sc.capabilities.add
        : [];
      if (added.length) {
        // A model server needs no Linux capability; SYS_ADMIN, NET_ADMIN
        // or ALL would reach the node.
        refuse(
          `${path}.securityContext.capabilities.add`,
          `${name} adds Linux capabilities (${added
            .map(quote)
            .join(', ')}); a model server needs none`,
        );
      }
      if (sc.windowsOptions?.hostProcess === true) {
        refuse(
          `${path}.securityContext.windowsOptions.hostProcess`,
          `${name} runs as a Windows host process`,
        );
      }
      const ports = Array.isArray(c.ports) ? c.ports : [];
      ports.forEach((p: unknown, j: number) => {
        if (isObject(p) && p.hostPort !== undefined && p.hostPort !== 0) {
          refuse(
            `${path}.ports[${j}].hostPort`,
            `${name} binds port ${quote(p.hostPort)} on the node (hostPort)`,
          );
        }
      });
    });
  }
}
