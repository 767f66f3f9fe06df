import crypto from 'node:crypto';
import { RESULT_FIELDS } from '../export/billingExport';

/**
 * A Compute Engine SKU as `services.skus.list` returns it (shape of the
 * Cloud Billing Catalog API reference; a GPU by default).
 */
export function sku(options: {
  skuId: string;
  description: string;
  usageType?: string;
  resourceGroup?: string;
  resourceFamily?: string;
  regions: string[];
  /** Unit prices of the tiers, in USD per hour. */
  usd: number[];
  usageUnit?: string;
  currencyCode?: string;
}): Record<string, unknown> {
  const tiers = options.usd.map((usd, i) => ({
    startUsageAmount: i,
    unitPrice: {
      currencyCode: options.currencyCode ?? 'USD',
      units: String(Math.trunc(usd)),
      nanos: Math.round((usd - Math.trunc(usd)) * 1e9),
    },
  }));
  return {
    name: `services/6F81-5844-456A/skus/${options.skuId}`,
    skuId: options.skuId,
    description: options.description,
    category: {
      serviceDisplayName: 'Compute Engine',
      resourceFamily: options.resourceFamily ?? 'Compute',
      resourceGroup: options.resourceGroup ?? 'GPU',
      usageType: options.usageType ?? 'OnDemand',
    },
    serviceRegions: options.regions,
    pricingInfo: [
      {
        summary: '',
        pricingExpression: {
          usageUnit: options.usageUnit ?? 'h',
          displayQuantity: 1,
          tieredRates: tiers,
          usageUnitDescription: 'hour',
          baseUnit: 's',
          baseUnitDescription: 'second',
          baseUnitConversionFactor: 3600,
        },
        currencyConversionRate: 1,
        effectiveTime: '2025-11-30T05:33:11.512Z',
      },
    ],
    serviceProviderName: 'Google',
    geoTaxonomy: {
      type: options.regions.length > 1 ? 'MULTI_REGIONAL' : 'REGIONAL',
      regions: options.regions,
    },
  };
}

/** The effective time of the fixtures' prices, as the quotes carry it. */
export const EFFECTIVE_TIME = '2025-11-30T05:33:11.512Z';

/** A row of the billing export query, by column name. */
export type ExportRow = Partial<
  Record<(typeof RESULT_FIELDS)[number][0], string | number | null>
>;

/** The `schema` of a BigQuery query response for the given columns. */
export function schemaOf(fields: ReadonlyArray<readonly [string, string]>) {
  return {
    fields: fields.map(([name, type]) => ({ name, type, mode: 'NULLABLE' })),
  };
}

/** Rows in the BigQuery REST form `{f: [{v}]}`, values as strings. */
export function rowsOf(
  rows: ExportRow[],
  fields: ReadonlyArray<readonly [string, string]> = RESULT_FIELDS,
) {
  return rows.map(r => ({
    f: fields.map(([name]) => {
      const v = (r as Record<string, unknown>)[name];
      return { v: v === null || v === undefined ? null : String(v) };
    }),
  }));
}

/** A `jobs.query` or `jobs.getQueryResults` response page. */
export function queryPage(options: {
  kind: 'query' | 'getQueryResults';
  jobId: string;
  rows?: ExportRow[];
  pageToken?: string;
  totalRows?: number;
  jobComplete?: boolean;
  fields?: ReadonlyArray<readonly [string, string]>;
}) {
  const complete = options.jobComplete ?? true;
  const fields = options.fields ?? RESULT_FIELDS;
  return {
    kind:
      options.kind === 'query'
        ? 'bigquery#queryResponse'
        : 'bigquery#getQueryResultsResponse',
    jobReference: {
      projectId: 'modelfleet-billing',
      jobId: options.jobId,
      location: 'US',
    },
    jobComplete: complete,
    ...(complete
      ? {
          schema: schemaOf(fields),
          totalRows: String(options.totalRows ?? options.rows?.length ?? 0),
          ...(options.rows?.length
            ? { rows: rowsOf(options.rows, fields) }
            : {}),
          ...(options.pageToken ? { pageToken: options.pageToken } : {}),
          totalBytesProcessed: '1048576',
          cacheHit: false,
        }
      : {}),
  };
}

/** A service account key with a fresh RSA key pair, and its public key. */
export function serviceAccountKey(projectId = 'modelfleet-prices') {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  return {
    publicKey,
    key: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: crypto.randomBytes(20).toString('hex'),
      private_key: privateKey
        .export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      client_email: `modelfleet@${projectId}.iam.gserviceaccount.com`,
      client_id: '113912345678901234567',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      universe_domain: 'googleapis.com',
    },
  };
}

/**
 * Verifies a self-signed service account JWT (RS256) from an Authorization
 * header; returns its claims, or throws.
 */
export function verifyJwt(
  authorization: string | undefined,
  publicKey: crypto.KeyObject,
): Record<string, unknown> {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '');
  if (!m) throw new Error(`not a bearer JWT: ${authorization}`);
  const header = JSON.parse(Buffer.from(m[1], 'base64url').toString());
  if (header.alg !== 'RS256') throw new Error(`alg is ${header.alg}`);
  const ok = crypto.verify(
    'RSA-SHA256',
    Buffer.from(`${m[1]}.${m[2]}`),
    publicKey,
    Buffer.from(m[3], 'base64url'),
  );
  if (!ok) throw new Error('the JWT signature does not verify');
  return JSON.parse(Buffer.from(m[2], 'base64url').toString());
}
