/** sfc32: a small, fast, seedable PRNG whose whole state is four 32-bit words (so it can be saved). */
export class Rng {
  private s: [number, number, number, number];

  constructor(state: [number, number, number, number]) {
    this.s = [state[0] >>> 0, state[1] >>> 0, state[2] >>> 0, state[3] >>> 0];
  }

  /** Seeds from an integer the way sfc32 recommends (mix, then discard 15 outputs). */
  static fromSeed(seed: number): Rng {
    const r = new Rng([0x9e3779b9, seed >>> 0, (seed * 0x85ebca6b) >>> 0, 1]);
    for (let i = 0; i < 15; i++) r.next();
    return r;
  }

  /** Current state, to persist between commands. */
  state(): [number, number, number, number] {
    return [...this.s];
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.s = [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }

  /** Exponential variate with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Log-normal variate given the median and the sigma of the underlying normal. */
  logNormal(median: number, sigma: number): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return median * Math.exp(sigma * z);
  }
}
