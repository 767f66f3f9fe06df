/**
 * mulberry32: a small seeded generator of numbers in [0, 1), so that a
 * solve, a benchmark's scenario or a simulation is the same on every run
 * with the same seed. The one copy the engines and benchmarks share.
 */
export function seededRandom(seed0: number): () => number {
  let seed = seed0 | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
