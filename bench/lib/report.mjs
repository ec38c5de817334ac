// What the bench prints and writes: the terminal table, the side-by-side
// rows (Mend ÷ peer), and the hand-drawn SVG bar chart of those ratios.
import { format } from "./figure.mjs";

/** The table for `figures` ([{ title, rows }]), as lines of text. */
export function table(figures) {
  const header = ["figure", "n", "median", "p95", "p99", "target", "verdict"];
  const lines = [];
  const body = [];
  for (const figure of figures) {
    body.push({ title: figure.title });
    for (const r of figure.rows) {
      const s = r.stats ?? {};
      body.push({
        cells: ["  " + r.label, s.n ? String(s.n) : "—", format(s.median, r.unit), format(s.p95, r.unit), format(s.p99, r.unit), r.target, r.verdict],
        note: r.note,
      });
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.filter((b) => b.cells).map((b) => b.cells[i].length)));
  widths[6] = Math.min(widths[6], 60);
  const line = (cells) =>
    cells
      .map((c, i) => (i === 0 || i >= 5 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  lines.push(line(header), widths.map((w) => "─".repeat(w)).join("  "));
  for (const b of body) {
    if (b.title) lines.push(b.title);
    else {
      lines.push(line(b.cells));
      if (b.note) lines.push(" ".repeat(4) + "· " + b.note);
    }
  }
  return lines;
}

/** Mend's median ÷ the peer's, with how it reads: Infinity when only the peer's is 0, null when both are. */
function ratio(mend, peer) {
  if (mend === null || peer === null || mend === undefined || peer === undefined) return null;
  if (peer === 0) return mend === 0 ? null : Infinity;
  return mend / peer;
}

/** A side-by-side row: both medians, the ratio and its verdict (below 1 is the target). */
export function sideBySide(label, unit, mendRow, peerRow) {
  const mend = mendRow?.stats?.median ?? null;
  const peer = peerRow?.stats?.median ?? null;
  const r = ratio(mend, peer);
  let verdict;
  if (mend === null || peer === null) verdict = "NOT MEASURED";
  else if (r === null) verdict = "both 0 (no ratio)";
  else if (r < 1) verdict = "meets";
  else verdict = `MISSES: Mend ${r === Infinity ? "spends this, the peer nothing" : `is ${r.toFixed(2)}× the peer`}`;
  return {
    label,
    unit: "ratio",
    valueUnit: unit,
    mend,
    peer,
    ratio: r, // JSON has no ∞: null there, with ratioText saying which
    ratioText: r === null ? (mend === null || peer === null ? "not measured" : "both 0") : format(r, "ratio"),
    stats: { n: Math.min(mendRow?.stats?.n ?? 0, peerRow?.stats?.n ?? 0), median: r, p95: null, p99: null },
    target: "ratio < 1",
    verdict,
    note: `Mend ${format(mend, unit)} ÷ Sentry feedback ${format(peer, unit)}`,
  };
}

const escape = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A horizontal bar chart of the ratios on a log scale from 1/100 to 100,
 * bars growing from 1: left (green) where Mend is lighter or faster, right
 * (red) where it is not. Ratios off the scale end in an arrow.
 */
export function chart(rows, caption) {
  const left = 330;
  const width = 900;
  const plot = width - left - 110;
  const rowHeight = 30;
  const top = 64;
  const height = top + rows.length * rowHeight + 56;
  const [lo, hi] = [-2, 2];
  const log = (value) => (value > 0 ? Math.log10(value) : -Infinity);
  const x = (value) => left + ((Math.min(hi, Math.max(lo, log(value))) - lo) / (hi - lo)) * plot;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="600">Mend ÷ Sentry user feedback, same host page, same run (log scale; below 1 is better for Mend)</text>`,
    `<text x="16" y="46" fill="#555">${escape(caption)}</text>`,
  ];
  for (const tick of [0.01, 0.1, 1, 10, 100]) {
    const tx = x(tick);
    out.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${top + rows.length * rowHeight}" stroke="${tick === 1 ? "#111" : "#ddd"}" stroke-width="${tick === 1 ? 1.5 : 1}"/>`);
    out.push(`<text x="${tx}" y="${top + rows.length * rowHeight + 18}" text-anchor="middle" fill="#555">${tick}×</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    out.push(`<text x="${left - 10}" y="${y + 19}" text-anchor="end">${escape(r.label)}</text>`);
    if (r.ratio === null || r.ratio === undefined) {
      out.push(`<text x="${x(1) + 6}" y="${y + 19}" fill="#555">${r.mend === null ? "not measured" : "both 0"}</text>`);
      return;
    }
    const from = x(1);
    const to = r.ratio === Infinity ? x(10 ** hi) : x(r.ratio);
    const better = r.ratio < 1;
    const colour = better ? "#15803d" : "#b91c1c";
    out.push(`<rect x="${Math.min(from, to)}" y="${y + 6}" width="${Math.max(1, Math.abs(to - from))}" height="${rowHeight - 12}" fill="${colour}" opacity="0.85"/>`);
    const offScale = log(r.ratio) > hi || log(r.ratio) < lo;
    if (offScale) {
      const tip = better ? to - 8 : to + 8;
      out.push(`<path d="M ${to} ${y + 6} L ${tip} ${y + rowHeight / 2} L ${to} ${y + rowHeight - 6} Z" fill="${colour}"/>`);
    }
    const label = r.ratio === Infinity ? "∞ (peer 0)" : r.ratio <= 0 ? "≤ 0 (under bare)" : `${r.ratio.toFixed(r.ratio < 0.1 ? 3 : 2)}×`;
    out.push(`<text x="${left + plot + 14}" y="${y + 19}" fill="${colour}" font-weight="600">${escape(label)}</text>`);
  });
  out.push(`<text x="16" y="${height - 12}" fill="#555">Bars start at 1×. Green: Mend's median is below the peer's. Red: it is not. Full figures: target/bench/results.json</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
