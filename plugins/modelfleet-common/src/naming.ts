/**
 * A catalog entity name for a pool: `<cluster>.<pool>`, made of the
 * characters entity names allow and at most 63 long.
 *
 * @public
 */
export function poolEntityName(cluster: string, pool: string): string {
  const clean = (s: string) =>
    s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  let name = `${clean(cluster)}.${clean(pool)}`;
  if (name.length > 63) {
    let h = 0;
    for (const ch of `${cluster}/${pool}`)
      h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    name = `${name.slice(0, 54).replace(/[-.]+$/, '')}-${h
      .toString(36)
      .slice(0, 8)}`;
  }
  return name;
}

/**
 * A catalog entity name for a cluster (its `Resource` of type
 * `kubernetes-cluster`).
 *
 * @public
 */
export function clusterEntityName(cluster: string): string {
  return poolEntityName(cluster, '').replace(/\.$/, '').slice(0, 63);
}
