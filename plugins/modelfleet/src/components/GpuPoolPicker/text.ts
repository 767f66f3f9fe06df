/** How the GpuPoolPicker words figures: provider and region, GiB, counted nouns, and the backend's error message. */

const PROVIDER_NAMES: Record<string, string> = {
  aws: 'AWS',
  gcp: 'GCP',
  azure: 'Azure',
  other: 'Other',
};

/** `AWS us-east-1`: the provider's name and the region. */
export function providerRegion(pool: {
  provider: string;
  region: string;
}): string {
  return `${PROVIDER_NAMES[pool.provider] ?? pool.provider} ${pool.region}`;
}

/** A size in GiB, one decimal. */
export function gib(value: number): string {
  return `${value.toFixed(1)} GiB`;
}

/** `1 replica`, `2 replicas`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The message of the backend's error body, else the error's own. */
export function backendMessage(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' ? message : error.message;
}
