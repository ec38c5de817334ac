// Figure 3: a report's submission. In the browser, from the click on the
// widget's send button to its confirmation on screen (Mend: the company's
// apology; the peer: its "Thank you" message), both timestamped in the
// frame that holds the form, so one clock serves. At the worker alone,
// `POST /v1/reports` over HTTP at concurrency 1 and 16 beside the no-op floor
// (`GET /v1/health`) through the same `wrangler dev`, in the same run.
import { atLeast, atMost, row } from "../lib/figure.mjs";
import { frameClock, launcher, tally } from "../lib/browser.mjs";
import { median } from "../lib/stats.mjs";
import { load } from "../lib/http-load.mjs";
import { sleep } from "../lib/run-guard.mjs";

const WIDGETS = {
  mend: {
    async fill(frame, i) {
      await frame.getByTestId("what-happened").fill(`Bench report ${i}: the armchair was not in the delivery.`);
      await frame.getByTestId("impact").fill("We had guests on Sunday and nowhere to seat them.");
    },
    send: (frame) => frame.getByTestId("send-report"),
    done: "mend-apology",
    request: /\/v1\/reports$/,
  },
  sentry: {
    async fill(frame, i) {
      await frame.locator("textarea[name=message]").fill(`Bench report ${i}: the armchair was not in the delivery.`);
    },
    send: (frame) => frame.locator("dialog[open] button[type=submit]"),
    done: "sentry-success",
    request: /\/api\/1\/envelope\//,
  },
};

/**
 * `count` submissions through `variant`'s widget, each in a fresh context.
 * Returns [{ ms, answered }]: click to confirmation, and click to the end of
 * the submission's own HTTP answer.
 */
export async function measureBrowserSubmission({ browser, hostUrl, variant, count, deadline }) {
  const widget = WIDGETS[variant];
  const times = [];
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    const sample = await browser.sample();
    try {
      const { page } = sample;
      await page.goto(`${hostUrl}/${variant}`, { waitUntil: "load" });
      await launcher(page, variant).click();
      const frame = await sample.seen(`${variant}-form`);
      await widget.fill(frame, i);
      await sleep(200);
      const mark = sample.net.mark();
      await widget.send(frame).click();
      const doneFrame = await sample.seen(widget.done);
      await sample.net.settled(mark);
      const fetched = await tally(sample.net, sample.net.since(mark));
      const state = await doneFrame.evaluate(() => window.__bench);
      const click = state.clicks.at(-1);
      // When the submission's own request was answered, after the click (approximate: DevTools' wall clock).
      const clock = await frameClock(doneFrame);
      const request = sample.net.since(0).find((r) => r.endWall && widget.request.test(r.url));
      times.push({ ms: state.seen[widget.done] - click, answered: request ? request.endWall - (click - clock.offset) : undefined, fetched });
    } finally {
      await sample.close();
    }
  }
  return times;
}

/** A report body for the HTTP load, distinct per request. */
const report = (i) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({
    workspace: "acme",
    what_happened: `Bench report ${i}: the armchair was not in the delivery.`,
    how_it_affected_you: "We had guests on Sunday and nowhere to seat them.",
    order_id: "1042",
  }),
});

/**
 * The worker alone: at each concurrency, the no-op (`GET /v1/health`) and
 * then the report, `count[c]` requests each after a warm-up, each bounded by
 * `phaseMs`. Returns { [c]: { noop, reports } } of load results.
 */
export async function measureWorkerSubmission({ url, counts, phaseMs }) {
  const out = {};
  for (const [concurrency, count] of Object.entries(counts).map(([c, n]) => [Number(c), n])) {
    const noop = await load(`${url}/v1/health`, { concurrency, count, warmup: 50, deadline: Date.now() + phaseMs, make: () => ({}) });
    const reports = await load(`${url}/v1/reports`, { concurrency, count, warmup: 20, deadline: Date.now() + phaseMs, expect: 201, make: report });
    out[concurrency] = { noop, reports };
  }
  return out;
}

const voidIf = (result) => (result.errors ? `${result.errors} errors (${result.errorSamples.join(", ")})` : undefined);

/** The browser row for `variant`: click to confirmation, noting when its request was answered. */
export function browserSubmissionRow(browserTimes, variant = "mend") {
  const answered = median(browserTimes.map((t) => t.answered).filter((v) => v !== undefined));
  const [label, request] = variant === "mend" ? ["send click → apology on screen", "POST /v1/reports"] : ["submit click → “Thank you” on screen", "envelope POST"];
  const fetched = browserTimes[0]?.fetched;
  const files = fetched ? fetched.urls.map((u) => u.split(" ")[1].split("?")[0].split("/").pop()).join(", ") : "";
  const note =
    answered === null
      ? undefined
      : `its ${request} was answered ${answered.toFixed(0)} ms after the click (median); the rest is the widget` +
        (fetched ? `, which fetched ${fetched.requests} files after the click (${(fetched.brotli / 1000).toFixed(1)} KB brotli: ${files})` : "");
  return row(`browser: ${label}`, "ms", browserTimes.map((t) => t.ms), { note });
}

/** The figure-3 rows. */
export function submissionRows(browserTimes, worker) {
  const rows = [browserSubmissionRow(browserTimes)];
  for (const [concurrency, { noop, reports }] of Object.entries(worker)) {
    const floor = rows.length;
    rows.push(row(`worker, c=${concurrency}: no-op GET /v1/health (the floor)`, "ms", noop.latencies, { voidReason: voidIf(noop) }));
    const noopMedian = rows[floor].stats.median;
    rows.push(
      row(`worker, c=${concurrency}: POST /v1/reports`, "ms", reports.latencies, {
        checks: [atMost("median", 2 * noopMedian), atMost("p99", 30)],
        target: `p50 ≤ 2× floor (${(2 * noopMedian).toFixed(1)} ms), p99 ≤ 30 ms`,
        voidReason: voidIf(reports),
        // What the worker itself took until it answered; the rest is the runtime's proxy and, on
        // one machine, the follow-on work of earlier reports (the ticket's object projecting into D1).
        note: `the worker's own answer (Server-Timing total) took ${median(reports.totals).toFixed(1)} ms (median), the no-op's ${median(noop.totals).toFixed(1)} ms`,
      }),
    );
    rows.push(
      row(`worker, c=${concurrency}: reports/s (no-op ${noop.throughput.toFixed(0)}/s)`, "rps", { n: reports.latencies.length, median: reports.throughput, p95: null, p99: null }, {
        checks: [atLeast("median", noop.throughput / 2)],
        target: `≥ 50% of the no-op's (${(noop.throughput / 2).toFixed(0)}/s)`,
        voidReason: voidIf(reports),
      }),
    );
    rows.push(
      row(`worker, c=${concurrency}: D1 round trips on a report's path (Server-Timing)`, "count", reports.d1, {
        checks: [atMost("max", 1)],
        voidReason: reports.d1.length < reports.latencies.length ? "answers without Server-Timing" : undefined,
      }),
    );
  }
  return rows;
}
