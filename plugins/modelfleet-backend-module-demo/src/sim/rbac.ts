import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeObject, StoredObject } from './objects';
import { qualifiedName, ResourceType } from './resources';
import { ApiError } from './status';
import { ObjectStore } from './store';

/** Who a request comes from. */
export interface Identity {
  username: string;
  groups: string[];
}

/** A bearer token's user: a user name, or a user name and groups. */
export type TokenUser = string | { user: string; groups?: string[] };

/** The identity of a user name: service accounts get their groups. */
export function identityOf(user: TokenUser): Identity {
  const username = typeof user === 'string' ? user : user.user;
  const groups = new Set(typeof user === 'string' ? [] : user.groups ?? []);
  groups.add('system:authenticated');
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (sa) {
    groups.add('system:serviceaccounts');
    groups.add(`system:serviceaccounts:${sa[1]}`);
  }
  return { username, groups: [...groups] };
}

/** What a request does, as RBAC sees it. */
export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

function ruleAllows(rule: PolicyRule, a: RequestAttributes): boolean {
  const has = (list: string[] | undefined, value: string) =>
    (list ?? []).includes('*') || (list ?? []).includes(value);
  if (!has(rule.verbs, a.verb)) return false;
  if (!has(rule.apiGroups, a.group)) return false;
  const resources = rule.resources ?? [];
  const wanted = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resourceOk =
    resources.includes('*') ||
    resources.includes(wanted) ||
    (a.subresource !== undefined && resources.includes(`*/${a.subresource}`));
  if (!resourceOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) {
    return a.name !== undefined && rule.resourceNames.includes(a.name);
  }
  return true;
}

function subjectMatches(subject: Subject, who: Identity): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === who.username;
    case 'Group':
      return who.groups.includes(subject.name);
    case 'ServiceAccount':
      return (
        who.username ===
        `system:serviceaccount:${subject.namespace}:${subject.name}`
      );
    default:
      return false;
  }
}

/**
 * Role-based access control over the Roles, ClusterRoles and bindings in
 * the store, as the real authorizer: a request is allowed when a binding
 * of the user grants a rule that covers it; `system:masters` may do
 * anything; nothing else is allowed.
 */
export class RbacAuthorizer {
  private readonly types;

  constructor(private readonly store: ObjectStore) {
    const t = (kind: string) =>
      store.type('rbac.authorization.k8s.io/v1', kind);
    this.types = {
      role: t('Role'),
      roleBinding: t('RoleBinding'),
      clusterRole: t('ClusterRole'),
      clusterRoleBinding: t('ClusterRoleBinding'),
    };
  }

  private rulesOf(ref: { kind?: string; name?: string }, namespace?: string) {
    const role =
      ref.kind === 'ClusterRole'
        ? this.store.get(this.types.clusterRole, undefined, ref.name ?? '')
        : this.store.get(this.types.role, namespace, ref.name ?? '');
    return (role?.rules ?? []) as PolicyRule[];
  }

  authorize(who: Identity, a: RequestAttributes): boolean {
    if (who.groups.includes('system:masters')) return true;
    const binds = (b: StoredObject) =>
      ((b.subjects ?? []) as Subject[]).some(s => subjectMatches(s, who));
    for (const b of this.store.list(this.types.clusterRoleBinding)) {
      if (!binds(b)) continue;
      if (this.rulesOf(b.roleRef ?? {}).some(r => ruleAllows(r, a)))
        return true;
    }
    if (!a.namespace) return false;
    for (const b of this.store.list(this.types.roleBinding, {
      namespace: a.namespace,
    })) {
      if (!binds(b)) continue;
      if (
        this.rulesOf(b.roleRef ?? {}, a.namespace).some(r => ruleAllows(r, a))
      ) {
        return true;
      }
    }
    return false;
  }
}

/** The 403 Kubernetes answers a request RBAC does not allow. */
export function forbidden(
  who: Identity,
  a: RequestAttributes,
  type: ResourceType | undefined,
): ApiError {
  let qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  if (type) qualified = qualifiedName(type);
  const what = a.name ? `${qualified} "${a.name}"` : qualified;
  const resource = a.subresource
    ? `${a.resource}/${a.subresource}`
    : a.resource;
  const scope = a.namespace
    ? `in the namespace "${a.namespace}"`
    : 'at the cluster scope';
  return new ApiError(
    403,
    `${what} is forbidden: User "${who.username}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`,
    'Forbidden',
    { ...(a.name ? { name: a.name } : {}), group: a.group, kind: a.resource },
  );
}

/** Reads the Kubernetes objects of YAML files (multi-document). */
export function readManifests(files: string[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) {
        throw new Error(`${file}: ${doc.errors[0].message}`);
      }
      const object = doc.toJS() as KubeObject | null;
      if (object) out.push(object);
    }
  }
  return out;
}

/** The YAML files of a directory, in name order. */
export function manifestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()
    .map(f => path.join(dir, f));
}

/**
 * Puts manifests into the store, as `kubectl apply` would. A namespaced
 * object without a namespace (a Role and RoleBinding template) is put into
 * each of `templateNamespaces`.
 */
export function installManifests(
  store: ObjectStore,
  objects: KubeObject[],
  templateNamespaces: string[],
): void {
  const nsType = store.type('v1', 'Namespace');
  for (const object of objects) {
    const type = store.type(object.apiVersion ?? '', object.kind ?? '');
    const name = object.metadata?.name ?? '';
    let namespaces: Array<string | undefined> = [undefined];
    if (type.namespaced) {
      namespaces = object.metadata?.namespace
        ? [object.metadata.namespace]
        : templateNamespaces;
    }
    for (const ns of namespaces) {
      if (ns && !store.get(nsType, undefined, ns)) {
        store.apply(
          nsType,
          undefined,
          ns,
          { apiVersion: 'v1', kind: 'Namespace' },
          {
            manager: 'kubectl',
          },
        );
      }
      const copy = {
        ...object,
        metadata: { ...object.metadata, ...(ns ? { namespace: ns } : {}) },
      };
      // A RoleBinding template binds a subject of the template's namespace.
      store.apply(type, ns, name, copy, { manager: 'kubectl', force: true });
    }
  }
}
