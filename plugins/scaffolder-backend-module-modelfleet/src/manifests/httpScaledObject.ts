import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/*
 * The KEDA HTTP add-on's HTTPScaledObject (http.keda.sh/v1alpha1), which
 * no kubernetes-models package describes (@kubernetes-models/keda has
 * keda.sh and eventing.keda.sh only). The schema is the `openAPIV3Schema`
 * of the add-on's CRD (config/crd/bases/http.keda.sh_httpscaledobjects.yaml
 * of kedacore/http-add-on, the v1alpha1 version with `timeouts`, added in
 * kedacore/http-add-on#1285), with:
 *
 * - `format: int32` as bounds (ajv's strict mode knows no int32 format);
 * - the CEL rule "must define either the 'portName' or the 'port'" as a
 *   oneOf;
 * - unknown fields refused (`additionalProperties: false`), as the API
 *   server's strict field validation refuses them (the CRD alone would
 *   drop them silently, so a typo would go unnoticed);
 * - the timeouts as Go durations, which the interceptor parses.
 */

const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
const nonNegativeInt32 = { type: 'integer', minimum: 0, maximum: 2147483647 };
const goDuration = {
  type: 'string',
  pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$',
};
const portOrName = {
  oneOf: [{ required: ['port'] }, { required: ['portName'] }],
};

/** The CRD's schema, as JSON schema. */
export const HTTP_SCALED_OBJECT_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'http.keda.sh/v1alpha1' },
    kind: { const: 'HTTPScaledObject' },
    metadata: { type: 'object' },
    status: { type: 'object' },
    spec: {
      type: 'object',
      required: ['scaleTargetRef'],
      additionalProperties: false,
      properties: {
        coldStartTimeoutFailoverRef: {
          type: 'object',
          required: ['service'],
          additionalProperties: false,
          properties: {
            port: int32,
            portName: { type: 'string' },
            service: { type: 'string' },
            timeoutSeconds: int32,
          },
          ...portOrName,
        },
        headers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1 },
              value: { type: 'string' },
            },
          },
        },
        hosts: { type: 'array', items: { type: 'string' } },
        initialCooldownPeriod: nonNegativeInt32,
        pathPrefixes: { type: 'array', items: { type: 'string' } },
        replicas: {
          type: 'object',
          additionalProperties: false,
          properties: { max: nonNegativeInt32, min: nonNegativeInt32 },
        },
        scaleTargetRef: {
          type: 'object',
          required: ['service'],
          additionalProperties: false,
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            name: { type: 'string' },
            port: int32,
            portName: { type: 'string' },
            service: { type: 'string' },
          },
          ...portOrName,
        },
        scaledownPeriod: nonNegativeInt32,
        scalingMetric: {
          type: 'object',
          additionalProperties: false,
          properties: {
            concurrency: {
              type: 'object',
              additionalProperties: false,
              properties: { targetValue: { type: 'integer', minimum: 1 } },
            },
            requestRate: {
              type: 'object',
              additionalProperties: false,
              properties: {
                granularity: goDuration,
                targetValue: { type: 'integer', minimum: 1 },
                window: goDuration,
              },
            },
          },
          // "requestRate and concurrency are mutually exclusive" (the
          // add-on's reference).
          not: { required: ['concurrency', 'requestRate'] },
        },
        targetPendingRequests: int32,
        timeouts: {
          type: 'object',
          additionalProperties: false,
          properties: { conditionWait: goDuration, responseHeader: goDuration },
        },
      },
    },
  },
} as const;

/** The ajv error of a failed check, as kubernetes-models reports them. */
export class HttpScaledObjectValidationError extends Error {
  constructor(readonly errors: ErrorObject[]) {
    super(
      errors
        .map(e => `data${e.instancePath} ${e.message ?? 'is invalid'}`)
        .join(', '),
    );
    this.name = 'ValidationError';
  }
}

let compiled: ValidateFunction | undefined;

/**
 * An HTTPScaledObject to validate, with the same interface as a
 * kubernetes-models class: `new HTTPScaledObject(data).validate()` throws
 * an error whose `errors` are ajv's.
 */
export class HTTPScaledObject {
  constructor(private readonly data: unknown) {}

  validate(): void {
    // strictRequired off: the oneOf and not branches name properties
    // their parent schema defines.
    compiled ??= new Ajv({
      allErrors: true,
      strict: true,
      strictRequired: false,
    }).compile(HTTP_SCALED_OBJECT_SCHEMA);
    if (!compiled(this.data)) {
      throw new HttpScaledObjectValidationError([...(compiled.errors ?? [])]);
    }
  }
}
