import { isDeepStrictEqual } from 'node:util';

/** The metadata the simulator reads and writes. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

export type FieldsV1 = { [key: string]: FieldsV1 };

/** Any Kubernetes object, as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: any;
}

/** A Kubernetes object as stored: it always has metadata with a name. */
export interface StoredObject extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string; resourceVersion: string; uid: string };
}

export type Json = null | boolean | number | string | Json[] | JsonMap;
export interface JsonMap {
  [key: string]: Json;
}

export const clone = <T>(value: T): T =>
  value === undefined ? value : JSON.parse(JSON.stringify(value));

export const deepEqual = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export const objectKey = (namespace: string | undefined, name: string) =>
  namespace ? `${namespace}/${name}` : name;

/** The `modelfleet.io/action-step` annotation ModelFleet stamps on what it changes. */
export const ACTION_STEP = 'modelfleet.io/action-step';

/** The model label of workloads and their pods. */
export const MODEL_LABEL = 'modelfleet.io/model';

/** A workload's role to its model: `spot-fallback` for the on-demand stand-in of its spot replicas. */
export const ROLE_LABEL = 'modelfleet.io/role';

/** The object without the fields that change on every write. */
export function comparable(object: KubeObject): KubeObject {
  const copy = clone(object);
  if (copy.metadata) {
    delete copy.metadata.managedFields;
    delete copy.metadata.resourceVersion;
    delete copy.metadata.generation;
  }
  return copy;
}

/** The object's content other than metadata and status (its "spec"). */
export function specPart(object: KubeObject): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) {
    if (!['metadata', 'status', 'apiVersion', 'kind'].includes(k)) rest[k] = v;
  }
  return rest;
}
