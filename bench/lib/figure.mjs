// A figure's rows, their targets and verdicts, and how numbers read.
// A row holds a summary (n, median, p95, p99) of its samples in one unit;
// a target is a list of checks on those statistics; the verdict says
// plainly whether every check holds.
import { rounded, summarize } from "./stats.mjs";

const STAT_NAMES = { median: "p50", p95: "p95", p99: "p99", max: "max" };

/** Formats `value` in `unit` for the table. */
export function format(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  switch (unit) {
    case "ms":
      return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
    case "bytes":
      // Exact below 10 KB, where a target (the loader's 1 KB) can hinge on a few bytes.
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} KB` : `${Math.round(value)} B`;
    case "ratio":
      return value === Infinity ? "∞" : `${value.toFixed(2)}×`;
    case "rps":
      return `${value.toFixed(0)}/s`;
    case "score":
      return value.toFixed(4);
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }
}

/**
 * A check: statistic `stat` of the row at most `max` (in the row's unit).
 * `text` overrides how the target reads.
 */
export const atMost = (stat, max) => ({ stat, max });

/** A check: statistic `stat` of the row at least `min` (in the row's unit). */
export const atLeast = (stat, min) => ({ stat, min });

/**
 * Makes a row from raw samples (or a ready summary). `checks` is a list of
 * `atMost(...)` and `atLeast(...)`; `void` names why the figure does not count (errors).
 */
export function row(label, unit, samples, { checks = [], target, voidReason, note } = {}) {
  const stats = Array.isArray(samples) ? summarize(samples) : samples;
  const bound = (c) => (c.min === undefined ? `≤ ${format(c.max, unit)}` : `≥ ${format(c.min, unit)}`);
  const targetText = target ?? (checks.length ? checks.map((c) => `${STAT_NAMES[c.stat]} ${bound(c)}`).join(", ") : "—");
  let verdict;
  if (!stats || stats.n === 0) verdict = "NOT MEASURED";
  else if (voidReason) verdict = `VOID: ${voidReason}`;
  else if (!checks.length) verdict = "report only";
  else {
    const misses = [];
    for (const check of checks) {
      const value = stats[check.stat];
      if (value === null || value === undefined) misses.push(`${STAT_NAMES[check.stat]} needs ≥ 1,000 samples`);
      else if (check.max !== undefined && value > check.max) misses.push(`${STAT_NAMES[check.stat]} ${format(value, unit)} > ${format(check.max, unit)}`);
      else if (check.min !== undefined && value < check.min) misses.push(`${STAT_NAMES[check.stat]} ${format(value, unit)} < ${format(check.min, unit)}`);
    }
    verdict = misses.length ? `MISSES: ${misses.join("; ")}` : "meets";
  }
  return { label, unit, stats: stats && rounded(stats, 3), target: targetText, verdict, ...(note ? { note } : {}) };
}

/** A row that could not be measured, with the reason. */
export const unmeasured = (label, unit, reason) => ({ label, unit, stats: { n: 0 }, target: "—", verdict: `NOT MEASURED: ${reason}` });

/** True when any row of the figures misses its target. */
export const misses = (rows) => rows.filter((r) => r.verdict.startsWith("MISSES") || r.verdict.startsWith("VOID"));
