/**
 * What moving a model's weights out of a cloud region costs: the clouds'
 * list prices for data transfer, first tier, in USD per GB (10⁹ bytes),
 * as each provider's pricing page publishes them for North America:
 *
 * - AWS, "Data Transfer" on https://aws.amazon.com/ec2/pricing/on-demand/:
 *   to another AWS region $0.02/GB; out to the internet $0.09/GB (first
 *   10 TB a month).
 * - Google Cloud, https://cloud.google.com/vpc/network-pricing: between
 *   regions within North America $0.02/GB; internet egress, Premium Tier,
 *   from North America $0.12/GB (first TB).
 * - Azure, https://azure.microsoft.com/pricing/details/bandwidth/: between
 *   regions within North America $0.02/GB; internet egress from North
 *   America $0.087/GB (first 10 TB, after the free 100 GB).
 *
 * Moving to another cloud is internet egress from the source. Ingress is
 * free on all three. Other continents cost more; a platform team whose
 * contract or region differs overrides these (`egressUsdPerGB`).
 */
export const LIST_EGRESS_USD_PER_GB: Record<
  string,
  { interRegion: number; internet: number }
> = {
  aws: { interRegion: 0.02, internet: 0.09 },
  gcp: { interRegion: 0.02, internet: 0.12 },
  azure: { interRegion: 0.02, internet: 0.087 },
};

/** Bytes in a GiB over bytes in a GB: the clouds bill per GB. */
const GB_PER_GIB = 1.073741824;

/** Where weights are, or go: a cloud and a region. */
export interface Location {
  provider: string;
  region: string;
}

/**
 * The one-off cost of moving `gib` of weights from one location to another
 * (0 within a region), with what it is in words; `undefined` when the
 * source cloud has no known price (the move is then not priced).
 */
export function transferCost(
  gib: number,
  from: Location,
  to: Location,
  prices: Record<
    string,
    { interRegion: number; internet: number }
  > = LIST_EGRESS_USD_PER_GB,
): { usd: number; gib: number; what: string } | undefined {
  if (from.provider === to.provider && from.region === to.region) {
    return { usd: 0, gib: 0, what: 'same region: no transfer' };
  }
  const price = prices[from.provider];
  if (!price) return undefined;
  const crossCloud = from.provider !== to.provider;
  const perGB = crossCloud ? price.internet : price.interRegion;
  const gb = gib * GB_PER_GIB;
  return {
    usd: gb * perGB,
    gib,
    what: `${gib.toFixed(1)} GiB of weights ${
      crossCloud
        ? `out of ${from.provider} to ${to.provider}`
        : `from ${from.region} to ${to.region}`
    } at $${perGB}/GB`,
  };
}
