import { RESOURCE_VERBS, ResourceRegistry } from './resources';

/** `/version` of the simulated API server. */
export function versionInfo(gitVersion = 'v1.31.4') {
  const [major, minor] = gitVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.22.10',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** `/api`: the core group's versions. */
export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `/apis`: every group but the core group. */
export function groupList(registry: ResourceRegistry) {
  const groups = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions()) {
    if (!group) continue;
    groups.set(group, [...(groups.get(group) ?? []), version]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map(v => ({
        groupVersion: `${name}/${v}`,
        version: v,
      })),
      preferredVersion: {
        groupVersion: `${name}/${versions[0]}`,
        version: versions[0],
      },
    })),
  };
}

/** `/apis/<group>`: one group. */
export function apiGroup(registry: ResourceRegistry, name: string) {
  const list = groupList(registry).groups.find(g => g.name === name);
  return list ? { kind: 'APIGroup', apiVersion: 'v1', ...list } : undefined;
}

/**
 * `/api/v1` or `/apis/<group>/<version>`: its resources, each followed by
 * its subresources (client-node takes the first resource of a kind, so the
 * main resource must come before `deployments/status`).
 */
export function resourceList(
  registry: ResourceRegistry,
  groupName: string,
  version: string,
) {
  const types = registry.inGroupVersion(groupName, version);
  if (types.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: [...RESOURCE_VERBS, 'deletecollection'].sort(),
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      storageVersionHash: Buffer.from(`${groupName}/${version}/${t.kind}`)
        .toString('base64')
        .slice(0, 11),
    });
    if (t.scale) {
      resources.push({
        name: `${t.plural}/scale`,
        singularName: '',
        namespaced: t.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (t.eviction) {
      resources.push({
        name: `${t.plural}/eviction`,
        singularName: '',
        namespaced: t.namespaced,
        group: 'policy',
        version: 'v1',
        kind: 'Eviction',
        verbs: ['create'],
      });
    }
    if (t.proxy) {
      resources.push({
        name: `${t.plural}/proxy`,
        singularName: '',
        namespaced: t.namespaced,
        kind: `${t.kind}ProxyOptions`,
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      });
    }
    if (t.status) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupName ? `${groupName}/${version}` : version,
    resources,
  };
}

/**
 * The discovery document of a path (`/version`, `/api`, `/api/v1`,
 * `/apis`, `/apis/<group>`, `/apis/<group>/<version>`), `ok` for the
 * health paths, or undefined.
 */
export function discoveryDocument(
  registry: ResourceRegistry,
  path: string,
  options: { version?: string; serverAddress: string },
): unknown | 'ok' | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'version' && parts.length === 1)
    return versionInfo(options.version);
  if (['healthz', 'readyz', 'livez'].includes(parts[0])) return 'ok';
  if (parts[0] === 'api' && parts.length === 1)
    return coreVersions(options.serverAddress);
  if (parts[0] === 'api' && parts.length === 2)
    return resourceList(registry, '', parts[1]);
  if (parts[0] === 'apis' && parts.length === 1) return groupList(registry);
  if (parts[0] === 'apis' && parts.length === 2)
    return apiGroup(registry, parts[1]);
  if (parts[0] === 'apis' && parts.length === 3) {
    return resourceList(registry, parts[1], parts[2]);
  }
  return undefined;
}
