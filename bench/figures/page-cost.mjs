// Figure 1 (and the peer's half of figure 7's first rows): what a widget
// costs the host page before anyone touches it. The same plain order page is
// loaded bare, with Mend's loader, and with the peer, round-robin, each load
// in a fresh browser context (cold cache). Counted from navigation until the
// widget's launcher is on screen and the page has been idle for 500 ms.
import { median } from "../lib/stats.mjs";
import { atMost, row } from "../lib/figure.mjs";
import { launcher, tally } from "../lib/browser.mjs";
import { sleep } from "../lib/run-guard.mjs";

/** One load of `variant`'s page; returns its bytes, requests, main-thread time, long tasks and layout shift. */
async function loadOnce(browser, hostUrl, variant) {
  const sample = await browser.sample();
  try {
    const { page, net } = sample;
    const url = `${hostUrl}/${variant}`;
    await page.goto(url, { waitUntil: "load" });
    if (variant !== "bare") await launcher(page, variant).waitFor({ state: "visible", timeout: 15_000 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await sleep(500);
    await net.settled(0);
    const bytes = await tally(
      net,
      net.since(0).filter((r) => r.url !== url),
    );
    const metrics = await sample.metrics();
    const state = await page.evaluate(() => window.__bench);
    return {
      ...bytes,
      script: metrics.script,
      thread: metrics.thread,
      task: metrics.task,
      longtasks: state.longtasks.length,
      longtaskMs: state.longtasks.reduce((sum, t) => sum + t.duration, 0),
      layoutShift: state.layoutShift,
    };
  } finally {
    await sample.close();
  }
}

/** Runs `rounds` round-robin loads of bare, mend and sentry. Returns the samples per variant. */
export async function measurePageCost({ browser, hostUrl, rounds, deadline }) {
  const samples = { bare: [], mend: [], sentry: [] };
  await loadOnce(browser, hostUrl, "bare"); // Chromium's own first-page costs, not counted
  for (let i = 0; i < rounds && Date.now() < deadline; i++) {
    for (const variant of Object.keys(samples)) samples[variant].push(await loadOnce(browser, hostUrl, variant));
  }
  return samples;
}

/** Where long tasks were seen, beside the bare page's under the same conditions (a busy machine makes some). */
function longTaskNote(samples, variant) {
  const count = (v) => samples[v].filter((s) => s.longtasks > 0).length;
  if (!count(variant) && !count("bare")) return undefined;
  return `in ${count(variant)} of ${samples[variant].length} loads; the bare page had them in ${count("bare")} of ${samples.bare.length}`;
}

/** The figure-1 rows for `variant` (Mend's targets apply to Mend only). */
export function pageCostRows(samples, variant) {
  const of = (key) => samples[variant].map((s) => s[key]);
  // The bare page runs the bench's own instrumentation too; what is over it is the widget's.
  const bareThread = median(samples.bare.map((s) => s.thread));
  const bareScript = median(samples.bare.map((s) => s.script));
  const mend = variant === "mend";
  const missing = samples[variant].reduce((sum, s) => sum + s.missingBodies, 0);
  return [
    row("bytes, brotli (q11, per resource)", "bytes", of("brotli"), { checks: mend ? [atMost("max", 1000)] : [] }),
    row("bytes, gzip (-9, per resource)", "bytes", of("gzip")),
    row("bytes, raw bodies", "bytes", of("raw"), missing ? { note: `${missing} bodies unavailable from DevTools` } : {}),
    row("bytes on the wire (as served, with headers)", "bytes", of("wire")),
    row("requests before interaction", "count", of("requests")),
    row("long tasks before interaction", "count", of("longtasks"), {
      checks: mend ? [atMost("max", 0)] : [],
      note: longTaskNote(samples, variant),
    }),
    row("main-thread CPU time over the bare page", "ms", samples[variant].map((s) => s.thread - bareThread)),
    row("script time over the bare page", "ms", samples[variant].map((s) => s.script - bareScript)),
    row("layout shift (sum)", "score", of("layoutShift")),
  ];
}
