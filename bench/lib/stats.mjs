// Summaries of samples: the median, and nearest-rank p95 and p99 (p99 only
// from 1,000 samples up, where it means something).

/** Nearest-rank percentile `p` (0–100) of an already sorted array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The median (the mean of the two middle values for an even count). */
export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * { n, median, p95, p99, min, max, mean } of `values`. `p99` is null below
 * 1,000 samples; every statistic is null for no samples.
 */
export function summarize(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, median: null, p95: null, p99: null, min: null, max: null, mean: null };
  return {
    n,
    median: median(sorted),
    p95: percentile(sorted, 95),
    p99: n >= 1000 ? percentile(sorted, 99) : null,
    min: sorted[0],
    max: sorted[n - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / n,
  };
}

/** Rounds every number in a summary to `digits` decimals, for the JSON. */
export function rounded(summary, digits = 2) {
  const out = {};
  for (const [key, value] of Object.entries(summary)) {
    out[key] = typeof value === "number" && !Number.isInteger(value) ? Number(value.toFixed(digits)) : value;
  }
  return out;
}
