import type { CostManagementClient } from '@azure/arm-costmanagement';

type Pipeline = CostManagementClient['pipeline'];
type PipelinePolicy = Parameters<Pipeline['addPolicy']>[0];

/**
 * Request header that sends a query to the `nextLink` of the previous page.
 * The Query API pages by POSTing the same body to `nextLink`; the SDK's
 * `query.usage` reads only the first page, so later pages go through the
 * same operation (same body, auth, retries and deserialization) with this
 * header, which {@link nextLinkPolicy} turns into the request URL.
 */
export const NEXT_LINK_HEADER = 'x-modelfleet-next-link';

/** Sends a request marked with {@link NEXT_LINK_HEADER} to that URL. */
export function nextLinkPolicy(): PipelinePolicy {
  return {
    name: 'modelfleetNextLinkPolicy',
    sendRequest(request, next) {
      const link = request.headers.get(NEXT_LINK_HEADER);
      if (link) {
        request.headers.delete(NEXT_LINK_HEADER);
        request.url = link;
      }
      return next(request);
    },
  };
}

/** Cost Management's own throttling headers, in seconds. */
const COST_MANAGEMENT_RETRY_AFTER = [
  'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-entity-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after',
];

/**
 * Cost Management answers HTTP 429 with `x-ms-ratelimit-microsoft.costmanagement-*-retry-after`
 * headers, which the SDK's retry policy does not read; this copies the
 * longest of them into `Retry-After` when that is missing, so the retry
 * policy waits as long as the service asks.
 */
export function costManagementRetryAfterPolicy(): PipelinePolicy {
  return {
    name: 'modelfleetCostManagementRetryAfterPolicy',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status === 429 && !response.headers.has('retry-after')) {
        const seconds = COST_MANAGEMENT_RETRY_AFTER.map(h =>
          Number(response.headers.get(h)),
        ).filter(s => Number.isFinite(s) && s >= 0);
        if (seconds.length > 0) {
          response.headers.set('retry-after', String(Math.max(...seconds)));
        }
      }
      return response;
    },
  };
}

/** Adds the two policies to a Cost Management client's pipeline. */
export function installCostManagementPolicies(pipeline: Pipeline): void {
  pipeline.addPolicy(nextLinkPolicy(), {
    phase: 'Serialize',
    afterPolicies: ['serializationPolicy'],
  });
  // Sign runs after Retry, so the retry policy sees the copied header.
  pipeline.addPolicy(costManagementRetryAfterPolicy(), { phase: 'Sign' });
}
