// `make bench`: Mend's speed and weight against the real built artifacts and
// the real worker in `wrangler dev --log-level warn`, side by side with a
// peer (Sentry's user-feedback widget) on the same host page, in one run.
// Prints a table and writes target/bench/results.json and
// target/bench/side-by-side.svg (see bench/README.md). Loopback only; every
// loop bounded in count and time; the whole run bounded by BUDGET_MS. Exits 0
// when every figure was measured, whatever the verdicts; 1 when the harness
// could not measure one.
//
//   node bench/run.mjs [--quick]   (--quick: a few samples of each, to try the harness)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { launchBrowser } from "./lib/browser.mjs";
import { format, misses, unmeasured } from "./lib/figure.mjs";
import { chart, sideBySide, table } from "./lib/report.mjs";
import { budget, stopAll } from "./lib/run-guard.mjs";
import { bundlePeer, startHost, startPeer } from "./lib/sites.mjs";
import { prepareState, root, snapshot, startWorker } from "./lib/worker.mjs";
import { fanOutRows, measureFanOut } from "./figures/fan-out.mjs";
import { firstOpenRows, measureFirstOpen } from "./figures/first-open.mjs";
import { measurePageCost, pageCostRows } from "./figures/page-cost.mjs";
import { browserSubmissionRow, measureBrowserSubmission, measureWorkerSubmission, submissionRows } from "./figures/submission.mjs";
import { measureUpdateToScreen, updateRows } from "./figures/update-to-screen.mjs";
import { measureWorkerWeight, weightRows, widgetBreakdown } from "./figures/weight.mjs";
import { measureWebhooks, webhookRows } from "./figures/webhooks.mjs";

const QUICK = process.argv.includes("--quick");
// Phases stop starting new samples at this point, so the run, cleanup included, ends within 18 minutes.
const BUDGET_MS = 16 * 60_000;
/** How many samples of each figure; each phase also stops at its time cap. */
const PLAN = QUICK
  ? { coldStarts: 1, pageCostRounds: 3, firstOpen: 3, submissions: 3, http: { 1: 200, 16: 400 }, httpPhaseMs: 20_000, tickets: 1, perTicket: 30, clients: 100, rounds: 3, webhookEvents: 50, burstTickets: 10 }
  : { coldStarts: 5, pageCostRounds: 20, firstOpen: 25, submissions: 20, http: { 1: 1000, 16: 2000 }, httpPhaseMs: 60_000, tickets: 4, perTicket: 250, clients: 1000, rounds: 20, webhookEvents: 1000, burstTickets: 100 };
// Loopback endpoints are allowed here as in `make dev`: the webhook receiver is the bench's own.
const WORKER_VARS = { REPORTS_PER_MINUTE_PER_ADDRESS: "1000000", REPORTS_PER_MINUTE_PER_WORKSPACE: "1000000", WEBHOOKS_ALLOW_LOOPBACK: "true" };

const started = Date.now();
const time = budget(BUDGET_MS);
const out = join(root, "target/bench");
const errors = [];
const phases = {};
const log = (text) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);

/** Runs one phase within `capMs` (and the run's budget); an error is recorded and the run goes on. */
async function phase(name, capMs, body) {
  if (time.left() < 5000) {
    errors.push(`${name}: skipped, the run's ${BUDGET_MS / 60_000}-minute budget is spent`);
    log(`${name}: skipped (budget spent)`);
    return null;
  }
  const t0 = Date.now();
  log(`${name}…`);
  try {
    return await body(time.deadline(capMs));
  } catch (error) {
    errors.push(`${name}: ${error.message.split("\n")[0]}`);
    log(`${name} FAILED: ${error.stack}`);
    return null;
  } finally {
    phases[name] = Math.round((Date.now() - t0) / 100) / 10;
  }
}

const version = (pkg) => JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")).version;
function machine(chromium) {
  const git = (args) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8", timeout: 10_000 }).trim();
    } catch {
      return "";
    }
  };
  return {
    cpu: os.cpus()[0]?.model.replace(/\s+/g, " ").trim(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    chromium,
    wrangler: version("wrangler"),
    workerd: version("workerd"),
    peer: `@sentry/browser ${version("@sentry/browser")}`,
    commit: git(["rev-parse", "--short", "HEAD"]) + (git(["status", "--porcelain", "--", "app", "core", "worker", "public"]) ? " + uncommitted changes" : ""),
  };
}

const results = {};
const figures = [];
let browser;
let chromium = "";

try {
  mkdirSync(out, { recursive: true });
  log(`make bench${QUICK ? " --quick" : ""}: budget ${BUDGET_MS / 60_000} min`);

  snapshot();
  // The local sites first (the host origin must be allowed when the workspace is seeded).
  const host = await startHost();
  const peer = await startPeer(bundlePeer());
  host.setPeer(peer);
  const { state, repKey, managerKey } = prepareState([host.url]);

  // 6. Worker weight and cold start: spawn wrangler dev, time it to the first 200, stop; the last one stays up.
  const weight = await phase("worker weight", 60_000, async () => measureWorkerWeight());
  const coldStarts = [];
  let worker;
  await phase("cold starts", 4 * 60_000, async (deadline) => {
    for (let i = 0; i < PLAN.coldStarts && Date.now() < deadline; i++) {
      const w = await startWorker({ state, vars: WORKER_VARS });
      coldStarts.push(w.coldStartMs);
      await w.stop();
    }
    worker = await startWorker({ state, vars: WORKER_VARS });
    coldStarts.push(worker.coldStartMs);
  });
  if (!worker) throw new Error("wrangler dev never answered; nothing else can be measured");
  host.setMend(worker.url);
  const url = worker.url;

  // 3, the worker alone: before any browser runs, so Chromium does not share the cores.
  const http = await phase("worker submission (HTTP)", 4 * 60_000 + 10_000, () => measureWorkerSubmission({ url, counts: PLAN.http, phaseMs: PLAN.httpPhaseMs }));

  browser = await launchBrowser();
  chromium = `Chromium ${browser.version}`;
  const pageCost = await phase("page cost (bare, Mend, peer)", 2 * 60_000, (deadline) =>
    measurePageCost({ browser, hostUrl: host.url, rounds: PLAN.pageCostRounds, deadline }),
  );
  const open = {};
  for (const variant of ["mend", "sentry"]) {
    open[variant] = await phase(`first open (${variant})`, 2 * 60_000, (deadline) =>
      measureFirstOpen({ browser, hostUrl: host.url, variant, count: PLAN.firstOpen, deadline }),
    );
  }
  const submit = {};
  for (const variant of ["mend", "sentry"]) {
    submit[variant] = await phase(`browser submission (${variant})`, 90_000, (deadline) =>
      measureBrowserSubmission({ browser, hostUrl: host.url, variant, count: PLAN.submissions, deadline }),
    );
  }
  const peerFeedbacks = peer.feedbacks();
  const updates = await phase("update to screen", 3 * 60_000, (deadline) =>
    measureUpdateToScreen({ browser, url, hostUrl: host.url, repKey, tickets: PLAN.tickets, perTicket: PLAN.perTicket, deadline }),
  );
  await browser.close();
  browser = null;

  const fanOut = await phase("fan-out", 3 * 60_000, (deadline) => measureFanOut({ url, repKey, clients: PLAN.clients, rounds: PLAN.rounds, deadline }));
  const hooks = await phase("webhooks", 3 * 60_000, (deadline) =>
    measureWebhooks({ url, repKey, managerKey, events: PLAN.webhookEvents, burstTickets: PLAN.burstTickets, perTicket: 10, deadline }),
  );
  await worker.stop();
  // What wrangler dev said at warn level and above (a runtime restart under load shows here).
  writeFileSync(join(out, "wrangler.log"), worker.log());

  // Where the widget's bytes go (CPU-heavy, so after everything timed).
  const bytes = await phase("widget wasm breakdown", 60_000, async () => widgetBreakdown());

  // Figures, in the order.
  const add = (key, title, rows, extra = {}) => {
    figures.push({ title, rows });
    results[key] = { title, rows, ...extra };
  };
  const need = (value, rows, label) => (value ? rows() : [unmeasured(label, "ms", "its phase failed (see errors)")]);

  const mendPage = pageCost && pageCostRows(pageCost, "mend");
  const peerPage = pageCost && pageCostRows(pageCost, "sentry");
  add("loader_page_cost", "1. Page cost of the loader (plain host page, before interaction, cold cache)", need(pageCost, () => mendPage, "page cost"));
  const mendOpen = open.mend && firstOpenRows(open.mend, "mend");
  const peerOpen = open.sentry && firstOpenRows(open.sentry, "sentry");
  add("first_open", "2. First open (intent → report form accepts input)", need(open.mend, () => mendOpen, "first open"), {
    coldRequests: open.mend?.cold[0]?.bytes.urls,
    warmRequests: open.mend?.warm[0]?.bytes.urls,
  });
  const submission = submit.mend || http ? submissionRows(submit.mend ?? [], http ?? {}) : [unmeasured("submission", "ms", "its phase failed")];
  add("report_submission", "3. Report submission", submission);
  add("update_to_screen", "4. Update to screen", need(updates, () => updateRows(updates), "update to screen"), updates ? { lost: updates.lost, clock: updates.clock } : {});
  add("fan_out", `5. Fan-out (${PLAN.clients} live clients on one ticket)`, need(fanOut, () => fanOutRows(fanOut, PLAN.clients), "fan-out"));
  add("worker_weight", "6. Worker weight", need(weight, () => weightRows(weight, coldStarts), "worker weight"), weight ? { upload: weight.upload } : {});

  const find = (rows, prefix) => rows?.find((r) => r.label.startsWith(prefix));
  const total = (pageRows, openRows) => {
    const a = find(pageRows, "bytes, brotli")?.stats?.median;
    const b = find(openRows, "cold: bytes, brotli")?.stats?.median;
    return a === undefined || b === undefined ? null : { stats: { n: find(openRows, "cold: bytes, brotli").stats.n, median: a + b } };
  };
  const side = [
    sideBySide("page cost: bytes, brotli", "bytes", find(mendPage, "bytes, brotli"), find(peerPage, "bytes, brotli")),
    sideBySide("page cost: bytes on the wire", "bytes", find(mendPage, "bytes on the wire"), find(peerPage, "bytes on the wire")),
    sideBySide("page cost: main-thread CPU time", "ms", find(mendPage, "main-thread CPU"), find(peerPage, "main-thread CPU")),
    sideBySide("page cost: script time", "ms", find(mendPage, "script time"), find(peerPage, "script time")),
    sideBySide("first open: bytes, brotli (cold)", "bytes", find(mendOpen, "cold: bytes, brotli"), find(peerOpen, "cold: bytes, brotli")),
    sideBySide("page + first open: bytes, brotli", "bytes", total(mendPage, mendOpen), total(peerPage, peerOpen)),
    sideBySide("first open: requests (cold)", "count", find(mendOpen, "cold: requests"), find(peerOpen, "cold: requests")),
    sideBySide("intent → form accepts input (cold)", "ms", find(mendOpen, "cold: intent"), find(peerOpen, "cold: intent")),
    sideBySide("intent → form accepts input (warm)", "ms", find(mendOpen, "warm: intent"), find(peerOpen, "warm: intent")),
    sideBySide(
      "submit → confirmation on screen",
      "ms",
      submit.mend ? browserSubmissionRow(submit.mend, "mend") : null,
      submit.sentry ? browserSubmissionRow(submit.sentry, "sentry") : null,
    ),
  ];
  side.at(-1).note += `; the peer's receiver got ${peerFeedbacks} feedback envelopes for ${submit.sentry?.length ?? 0} submissions`;
  add("side_by_side", "7. Side by side: Mend ÷ Sentry user feedback (medians; below 1 is the target)", side, {
    peer: { package: `@sentry/browser ${version("@sentry/browser")}`, setup: "bench/peer/entry.js", feedbacksReceived: peerFeedbacks,
      pageCost: peerPage,
      firstOpen: peerOpen,
      submission: submit.sentry ? [browserSubmissionRow(submit.sentry, "sentry")] : null,
    },
    chart: "target/bench/side-by-side.svg",
  });
  add("webhooks", "8. Webhooks (one endpoint, a receiver on loopback)", need(hooks, () => webhookRows(hooks), "webhooks"));
  if (bytes) results.where_the_bytes_go = bytes;
} catch (error) {
  errors.push(error.message.split("\n")[0]);
  log(`bench FAILED: ${error.stack}`);
} finally {
  await stopAll();
}

// Output: the table, what misses, where the bytes go, and the files.
const meta = {
  date: new Date(started).toISOString(),
  durationSeconds: Math.round((Date.now() - started) / 1000),
  machine: { ...machine(chromium), loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))) },
  plan: { quick: QUICK, ...PLAN },
  phasesSeconds: phases,
  errors,
};
const m = meta.machine;
const lines = [
  "",
  `Mend bench — ${meta.date.slice(0, 16).replace("T", " ")} UTC, ${meta.durationSeconds} s${QUICK ? " (--quick: too few samples to quote)" : ""}`,
  `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; load ${m.loadAverageAtStart.join(" ")} → ${m.loadAverageAtEnd.join(" ")}`,
  `software: Node ${m.node}, ${m.chromium}, wrangler ${m.wrangler} (workerd ${m.workerd}), peer ${m.peer}; commit ${m.commit}`,
  "sizes: KB = 1,000 bytes; brotli/gzip are per-resource compressions of the bodies; percentiles nearest-rank, p99 from 1,000 samples",
  "",
  ...table(figures),
];
const missed = misses(figures.flatMap((f) => f.rows));
lines.push("", missed.length ? `${missed.length} figures miss their targets:` : "Every figure meets its target.");
for (const r of missed) lines.push(`  ✗ ${r.label}: ${r.verdict.replace(/^MISSES: /, "")}`);
const wb = results.where_the_bytes_go;
if (wb) {
  lines.push("", `Where the widget's bytes go (mend_app_bg.wasm: ${(wb.size / 1000).toFixed(1)} KB raw as shipped; its code ${(wb.codeBytes / 1000).toFixed(1)} KB in ${wb.functionCount} functions):`);
  if (wb.files) lines.push("  files in public/app (raw → brotli): " + wb.files.map((f) => `${f.file} ${format(f.raw, "bytes")} → ${format(f.brotli, "bytes")}`).join(", "));
  lines.push("  first-open module's sections: " + wb.sections.slice(0, 4).map((s) => `${s.name} ${(s.size / 1000).toFixed(1)} KB (${s.percent}%)`).join(", "));
  lines.push("  code by crate: " + wb.crates.slice(0, 10).map((c) => `${c.crate} ${(c.size / 1000).toFixed(1)} KB`).join(", "));
  lines.push("  largest functions:");
  for (const f of wb.topFunctions.slice(0, 8)) lines.push(`    ${String(f.size).padStart(6)} B  ${f.name.length > 100 ? f.name.slice(0, 97) + "…" : f.name}`);
  if (wb.note) lines.push(`  note: ${wb.note}`);
}
if (errors.length) lines.push("", "Not measured (harness errors):", ...errors.map((e) => `  ! ${e}`));

mkdirSync(out, { recursive: true });
writeFileSync(join(out, "results.json"), JSON.stringify({ meta, ...results }, null, 2) + "\n");
writeFileSync(join(out, "table.txt"), lines.join("\n") + "\n");
if (results.side_by_side) {
  writeFileSync(join(out, "side-by-side.svg"), chart(results.side_by_side.rows, `${meta.date.slice(0, 10)} · ${m.cpu}, ${m.cores} cores · ${m.peer} · make bench`));
}
lines.push("", `Wrote target/bench/results.json, target/bench/side-by-side.svg and target/bench/table.txt in ${meta.durationSeconds} s.`);
console.log(lines.join("\n"));
process.exit(errors.length ? 1 : 0);
