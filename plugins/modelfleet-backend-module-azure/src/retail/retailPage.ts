/** One Azure retail price (a meter of a VM size in a region). */
export interface RetailItem {
  armSkuName: string;
  armRegionName: string;
  meterName: string;
  productName: string;
  unitOfMeasure: string;
  retailPrice: number;
  currencyCode: string;
  effectiveStartDate: string;
  /** `Consumption`, `DevTestConsumption`, `Reservation`. */
  type?: string;
  isPrimaryMeterRegion?: boolean;
}

/** A page of the Retail Prices API, checked far enough to be used. */
export interface RetailPage {
  /** Raw items; read each one with {@link readRetailItem}. */
  items: unknown[];
  nextPageLink?: string;
}

/**
 * Reads a page body `{BillingCurrency, CustomerEntityId, Items, NextPageLink,
 * Count}`. Throws naming the field that is wrong.
 */
export function parseRetailPage(body: unknown): RetailPage {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new Error('the body is not a JSON object');
  }
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.Items)) throw new Error('Items is not an array');
  if (
    b.NextPageLink !== undefined &&
    b.NextPageLink !== null &&
    typeof b.NextPageLink !== 'string'
  ) {
    throw new Error('NextPageLink is not a string');
  }
  if (b.BillingCurrency !== undefined && b.BillingCurrency !== 'USD') {
    throw new Error(
      `BillingCurrency is '${String(b.BillingCurrency)}', expected USD`,
    );
  }
  return {
    items: b.Items,
    nextPageLink: (b.NextPageLink as string | null) || undefined,
  };
}

function field<T>(
  item: Record<string, unknown>,
  name: string,
  at: string,
  check: (v: unknown) => v is T,
  expected: string,
): T {
  const value = item[name];
  if (!check(value)) {
    throw new Error(
      `${at}.${name} is ${
        JSON.stringify(value) ?? 'missing'
      }, expected ${expected}`,
    );
  }
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isPrice = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isDate = (v: unknown): v is string =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v));

/**
 * The fields that say whether an item is wanted, read before the rest: an
 * item of another VM size is skipped without checking its price.
 */
export function readItemKey(
  raw: unknown,
  at: string,
): { armSkuName: string; meterName: string; productName: string } {
  if (!raw || typeof raw !== 'object')
    throw new Error(`${at} is not an object`);
  const item = raw as Record<string, unknown>;
  return {
    armSkuName: field(item, 'armSkuName', at, isString, 'a string'),
    meterName: field(item, 'meterName', at, isString, 'a string'),
    productName: field(item, 'productName', at, isString, 'a string'),
  };
}

/** Reads every field of a wanted item; throws naming the first bad one. */
export function readRetailItem(raw: unknown, at: string): RetailItem {
  const key = readItemKey(raw, at);
  const item = raw as Record<string, unknown>;
  const type = item.type;
  if (type !== undefined && typeof type !== 'string') {
    throw new Error(`${at}.type is ${JSON.stringify(type)}, expected a string`);
  }
  const primary = item.isPrimaryMeterRegion;
  if (primary !== undefined && typeof primary !== 'boolean') {
    throw new Error(
      `${at}.isPrimaryMeterRegion is ${JSON.stringify(
        primary,
      )}, expected a boolean`,
    );
  }
  return {
    ...key,
    armRegionName: field(item, 'armRegionName', at, isString, 'a string'),
    unitOfMeasure: field(item, 'unitOfMeasure', at, isString, 'a string'),
    retailPrice: field(
      item,
      'retailPrice',
      at,
      isPrice,
      'a price (a number >= 0)',
    ),
    currencyCode: field(item, 'currencyCode', at, isString, 'a string'),
    effectiveStartDate: field(
      item,
      'effectiveStartDate',
      at,
      isDate,
      'an ISO 8601 date',
    ),
    type,
    isPrimaryMeterRegion: primary,
  };
}
