import { badRequest } from './status';
import { KubeObject } from './objects';

/** One requirement of a label selector. */
export type LabelRequirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/** Splits at commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(Boolean);
}

/**
 * Parses a label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, joined by commas.
 */
export function parseLabelSelector(text: string | null): LabelRequirement[] {
  if (!text) return [];
  return splitTop(text).map(part => {
    let m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
      return { key: m[1], op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s=!()]*)$/.exec(part);
    if (m) {
      return {
        key: m[1],
        op: m[2] === '!=' ? '!=' : '=',
        value: m[3],
      };
    }
    m = /^(!?)([^\s!=()]+)$/.exec(part);
    if (m) return { key: m[2], op: m[1] ? '!exists' : 'exists' };
    throw badRequest(
      `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  });
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=':
        return has && l[r.key] === r.value;
      case '!=':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case '!exists':
        return !has;
      default:
        return false;
    }
  });
}

/** One requirement of a field selector. */
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** The fields a field selector may name, per kind (as the API server allows). */
const FIELDS: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Node: ['spec.unschedulable'],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Secret: ['type'],
  Namespace: ['status.phase'],
};

export function parseFieldSelector(
  text: string | null,
  kind: string,
): FieldRequirement[] {
  if (!text) return [];
  return splitTop(text).map(part => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m)
      throw badRequest(
        `invalid selector: '${text}'; can't understand '${part}'`,
      );
    const field = m[1];
    const allowed = [
      'metadata.name',
      'metadata.namespace',
      ...(FIELDS[kind] ?? []),
    ];
    if (!allowed.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() };
  });
}

function fieldValue(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const key of path.split('.')) {
    value = (value as Record<string, unknown> | undefined)?.[key];
  }
  if (path === 'source' && value && typeof value === 'object') {
    value = (value as { component?: string }).component;
  }
  if (value === undefined || value === null) return '';
  return String(value);
}

export function matchesFields(
  requirements: FieldRequirement[],
  object: KubeObject,
): boolean {
  return requirements.every(r => {
    const v = fieldValue(object, r.field);
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}

/** A parsed `labelSelector` and `fieldSelector` of a list or watch. */
export interface Selector {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

export function matchesSelector(selector: Selector, object: KubeObject) {
  return (
    matchesLabels(selector.labels, object.metadata?.labels) &&
    matchesFields(selector.fields, object)
  );
}

/** A `metav1.LabelSelector` (matchLabels, matchExpressions) against labels. */
export function matchesLabelSelector(
  selector:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: Array<{
          key: string;
          operator: string;
          values?: string[];
        }>;
      }
    | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  return (selector.matchExpressions ?? []).every(e => {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(l[e.key]);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(l[e.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}
