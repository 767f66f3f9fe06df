import { BillLine } from '@modelfleet/plugin-modelfleet-node';

/** The label that carries the model id, as GCP spells `modelfleet.io/model`. */
export const DEFAULT_LABEL_KEY = 'modelfleet-io-model';

/** The tag under which lines carry the model id, whatever the label key. */
const MODEL_TAG = 'modelfleet.io/model';

/**
 * A BigQuery table reference `project.dataset.table`; the project may be
 * domain-scoped (`example.com:project`).
 */
export interface TableRef {
  project: string;
  dataset: string;
  table: string;
}

const TABLE_REF =
  /^((?:[a-z0-9][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9])\.([A-Za-z0-9_]{1,1024})\.([A-Za-z0-9_-]{1,1024})$/;

/** Parses `project.dataset.table`; throws saying what is wrong. */
export function parseTableRef(ref: string): TableRef {
  const m = TABLE_REF.exec(ref);
  if (!m) {
    throw new Error(
      `'${ref}' is not a table reference 'project.dataset.table' (e.g. my-project.billing.gcp_billing_export_v1_0123AB_4567CD_89EF01)`,
    );
  }
  return { project: m[1], dataset: m[2], table: m[3] };
}

/**
 * The query of daily costs from the standard Cloud Billing export: per
 * billing account, project, UTC day of `usage_start_time` and resource, the
 * sum of `cost` and of the `credits` amounts. The resource is the value of
 * the label `@labelKey`; usage without it is grouped by SKU. Parameters:
 * `@labelKey` (STRING), `@startDay` and `@endDay` (DATE, end exclusive).
 */
export function billingExportQuery(table: TableRef): string {
  // The reference is validated by parseTableRef, so it is safe to quote.
  const from = `\`${table.project}.${table.dataset}.${table.table}\``;
  return `WITH usage AS (
  SELECT
    billing_account_id,
    project.id AS project_id,
    DATE(usage_start_time) AS usage_day,
    NULLIF((SELECT l.value FROM UNNEST(labels) AS l WHERE l.key = @labelKey LIMIT 1), '') AS label_value,
    service.id AS in_service_id,
    service.description AS in_service_description,
    sku.id AS in_sku_id,
    sku.description AS in_sku_description,
    currency,
    cost,
    IFNULL((SELECT SUM(c.amount) FROM UNNEST(credits) AS c), 0) AS credits
  FROM ${from}
  WHERE usage_start_time >= TIMESTAMP(@startDay)
    AND usage_start_time < TIMESTAMP(@endDay)
),
keyed AS (
  SELECT
    *,
    IF(label_value IS NULL, in_service_id, NULL) AS group_service_id,
    IF(label_value IS NULL, in_sku_id, NULL) AS group_sku_id
  FROM usage
)
SELECT
  billing_account_id,
  project_id,
  usage_day,
  label_value,
  group_service_id AS service_id,
  group_sku_id AS sku_id,
  IF(COUNT(DISTINCT in_service_id) = 1, ANY_VALUE(in_service_description), NULL) AS service_description,
  IF(label_value IS NULL, ANY_VALUE(in_sku_description), NULL) AS sku_description,
  currency,
  SUM(cost) AS cost,
  SUM(credits) AS credits
FROM keyed
GROUP BY billing_account_id, project_id, usage_day, label_value, group_service_id, group_sku_id, currency
ORDER BY usage_day, project_id, label_value, service_id, sku_id`;
}

/** The columns {@link billingExportQuery} returns, with their BigQuery types. */
export const RESULT_FIELDS = [
  ['billing_account_id', 'STRING'],
  ['project_id', 'STRING'],
  ['usage_day', 'DATE'],
  ['label_value', 'STRING'],
  ['service_id', 'STRING'],
  ['sku_id', 'STRING'],
  ['service_description', 'STRING'],
  ['sku_description', 'STRING'],
  ['currency', 'STRING'],
  ['cost', 'FLOAT'],
  ['credits', 'FLOAT'],
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function text(
  row: Record<string, unknown>,
  name: string,
  field: string,
  required: boolean,
): string | undefined {
  if (!(name in row)) throw new Error(`${field}.${name} is missing`);
  const v = row[name];
  if (v === null || v === undefined || v === '') {
    if (required) throw new Error(`${field}.${name} is empty`);
    return undefined;
  }
  if (typeof v !== 'string') {
    throw new Error(`${field}.${name} ${JSON.stringify(v)} is not a string`);
  }
  return v;
}

function number(row: Record<string, unknown>, name: string, field: string) {
  if (!(name in row)) throw new Error(`${field}.${name} is missing`);
  const v = row[name];
  if (v === null) return 0;
  const n = typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(n)) {
    const shown = typeof v === 'number' ? String(v) : JSON.stringify(v);
    throw new Error(`${field}.${name} ${shown} is not a number`);
  }
  return n;
}

function day(row: Record<string, unknown>, field: string): string {
  if (!('usage_day' in row)) throw new Error(`${field}.usage_day is missing`);
  const v = row.usage_day;
  // The client library gives DATE columns as BigQueryDate objects.
  const value =
    typeof v === 'object' && v !== null && 'value' in v
      ? (v as { value: unknown }).value
      : v;
  if (typeof value !== 'string' || !DAY.test(value)) {
    throw new Error(
      `${field}.usage_day ${JSON.stringify(value)} is not a date`,
    );
  }
  return value;
}

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00.000Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/**
 * Bill lines from the rows of {@link billingExportQuery}: account is the
 * project (the billing account for usage outside projects), the period one
 * UTC day; cost is cost plus credits. Rows that land on the same line (a
 * project that changed billing account within a day) are summed. Throws
 * naming the row and column of a bad value, and on any currency but USD.
 */
export function linesOfRows(
  rows: Record<string, unknown>[],
  options: { source: string; labelKey: string },
): BillLine[] {
  const lines = new Map<string, BillLine>();
  rows.forEach((row, i) => {
    const field = `rows[${i}]`;
    const currency = text(row, 'currency', field, true)!;
    if (currency !== 'USD') {
      throw new Error(
        `${field}.currency is '${currency}'; ModelFleet reads bills in USD only (export a billing account that is billed in USD)`,
      );
    }
    const billingAccount = text(row, 'billing_account_id', field, true)!;
    const project = text(row, 'project_id', field, false);
    const usageDay = day(row, field);
    const label = text(row, 'label_value', field, false);
    const service = text(row, 'service_description', field, false);
    const cost = number(row, 'cost', field) + number(row, 'credits', field);

    let resourceId: string;
    const tags: Record<string, string> = { 'billing-account': billingAccount };
    if (label) {
      resourceId = `label:${options.labelKey}=${label}`;
      tags[options.labelKey] = label;
      tags[MODEL_TAG] = label;
    } else {
      const serviceId = text(row, 'service_id', field, true);
      const skuId = text(row, 'sku_id', field, true);
      resourceId = `sku:${serviceId}/${skuId}`;
      const sku = text(row, 'sku_description', field, false);
      if (sku) tags['gcp-sku'] = sku;
    }
    const account = project ?? billingAccount;
    const periodStart = `${usageDay}T00:00:00.000Z`;
    const key = JSON.stringify([account, periodStart, resourceId]);
    const existing = lines.get(key);
    if (existing) {
      existing.costUsd += cost;
      return;
    }
    lines.set(key, {
      source: options.source,
      provider: 'gcp',
      account,
      periodStart,
      periodEnd: `${nextDay(usageDay)}T00:00:00.000Z`,
      resourceId,
      ...(service ? { service } : {}),
      tags,
      costUsd: cost,
    });
  });
  return [...lines.values()].sort(
    (a, b) =>
      a.periodStart.localeCompare(b.periodStart) ||
      a.account.localeCompare(b.account) ||
      a.resourceId.localeCompare(b.resourceId),
  );
}
