// Exact tail probabilities for the statistical invariants (SPEC 9.9), computed in log space.
// Poisson tails are used as conservative stand-ins for sums of independent or adapted Bernoulli
// trials with bounded probabilities: beyond about one unit from the mean, a binomial (and a
// Poisson-binomial with the same mean) has lighter tails than the Poisson of that mean.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

function poissonLogPmf(mu: number, k: number): number {
  if (mu === 0) return k === 0 ? 0 : -Infinity;
  return -mu + k * Math.log(mu) - lnGamma(k + 1);
}

/** P(X >= k) for X ~ Poisson(mu). */
export function poissonUpper(mu: number, k: number): number {
  if (k <= 0) return 1;
  if (mu === 0) return 0;
  if (k <= mu) return 1 - poissonLower(mu, k - 1);
  let lp = poissonLogPmf(mu, k);
  let acc = lp;
  for (let j = k; j < k + 100_000; j++) {
    lp += Math.log(mu / (j + 1));
    acc = logAddExp(acc, lp);
    if (lp < acc - 40) break;
  }
  return Math.min(1, Math.exp(acc));
}

/** P(X <= k) for X ~ Poisson(mu). */
export function poissonLower(mu: number, k: number): number {
  if (k < 0) return 0;
  if (mu === 0) return 1;
  if (k >= mu) return 1 - poissonUpper(mu, k + 1);
  let lp = poissonLogPmf(mu, k);
  let acc = lp;
  for (let j = k; j > 0; j--) {
    lp += Math.log(j / mu);
    acc = logAddExp(acc, lp);
    if (lp < acc - 40) break;
  }
  return Math.min(1, Math.exp(acc));
}

function binomLogPmf(n: number, p: number, k: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p);
}

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomLower(n: number, p: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  if (k >= n * p) return 1 - binomUpper(n, p, k + 1);
  let lp = binomLogPmf(n, p, k);
  let acc = lp;
  for (let j = k; j > 0; j--) {
    lp += Math.log(j / (n - j + 1)) + Math.log((1 - p) / p);
    acc = logAddExp(acc, lp);
    if (lp < acc - 40) break;
  }
  return Math.min(1, Math.exp(acc));
}

/** P(X >= k) for X ~ Binomial(n, p). */
export function binomUpper(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  if (k <= n * p) return 1 - binomLower(n, p, k - 1);
  let lp = binomLogPmf(n, p, k);
  let acc = lp;
  for (let j = k; j < n; j++) {
    lp += Math.log((n - j) / (j + 1)) + Math.log(p / (1 - p));
    acc = logAddExp(acc, lp);
    if (lp < acc - 40) break;
  }
  return Math.min(1, Math.exp(acc));
}

/** Wilson score interval for a proportion (for display next to the exact tests). */
export function wilson(successes: number, n: number, z: number): [number, number] {
  if (n === 0) return [0, 1];
  const ph = successes / n;
  const d = 1 + (z * z) / n;
  const c = (ph + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((ph * (1 - ph)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/** The standard normal quantile (Acklam's rational approximation), for the displayed z. */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
