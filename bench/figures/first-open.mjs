// Figure 2 (and figure 7's open rows): from the customer's first sign of
// intent on the launcher to a report form that accepts input, and the bytes
// and requests that takes. Cold: a fresh browser context (empty HTTP and code
// caches). Warm: the same context after the page is loaded again.
//
// "Accepts input" is the moment the form's first text field is in the DOM,
// connected, enabled and laid out, timestamped by a MutationObserver in the
// frame that holds it (for Mend, its iframe; for the peer, its shadow root).
// The start is the first of pointerover, pointerdown, focusin or click on the
// host page (Mend's loader starts loading on hover). Page and frame clocks
// are each calibrated against the bench's clock, so the two timestamps are
// compared on one scale.
import { atMost, row } from "../lib/figure.mjs";
import { median } from "../lib/stats.mjs";
import { frameClock, launcher, tally } from "../lib/browser.mjs";
import { sleep } from "../lib/run-guard.mjs";

/** Loads the page, clicks the launcher, waits for the form; returns { ms, bytes }. */
async function openOnce(sample, hostUrl, variant, { reload }) {
  const { page, net } = sample;
  sample.forget();
  if (reload) await page.reload({ waitUntil: "load" });
  else await page.goto(`${hostUrl}/${variant}`, { waitUntil: "load" });
  const button = launcher(page, variant);
  await button.waitFor({ state: "visible", timeout: 15_000 });
  await sleep(300);
  const mark = net.mark();
  await button.click();
  const frame = await sample.seen(`${variant}-form`);
  await sleep(300); // anything the widget fetches right after showing the form still counts
  await net.settled(mark);
  const host = await page.evaluate(() => window.__bench.intents);
  const ready = await frame.evaluate((key) => window.__bench.seen[key], `${variant}-form`);
  const [hostClock, frameClockNow] = [await frameClock(page.mainFrame()), await frameClock(frame)];
  const start = Math.min(...host) - hostClock.offset;
  const end = ready - frameClockNow.offset;
  // When each response was complete, after the start (approximate: DevTools' wall clock against the bench's).
  const arrived = {};
  for (const r of net.since(mark)) if (r.endWall) arrived[new URL(r.url).pathname.split("/").pop() || "/"] = r.endWall - start;
  return { ms: end - start, arrived, bytes: await tally(net, net.since(mark)), clockRtt: Math.max(hostClock.rtt, frameClockNow.rtt) };
}

/** `count` cold opens, each followed by `warmPer` warm ones in the same context. */
export async function measureFirstOpen({ browser, hostUrl, variant, count, warmPer = 1, deadline }) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    const sample = await browser.sample();
    try {
      cold.push(await openOnce(sample, hostUrl, variant, { reload: false }));
      for (let w = 0; w < warmPer; w++) warm.push(await openOnce(sample, hostUrl, variant, { reload: true }));
    } finally {
      await sample.close();
    }
  }
  return { cold, warm };
}

/** The medians of when each response was complete, and of the form being ready, as a sentence. */
function whereTimeGoes(samples) {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.arrived)))];
  if (!names.length) return undefined;
  const at = (name) => median(samples.map((s) => s.arrived[name]).filter((v) => v !== undefined));
  const parts = names.map((name) => [name, at(name)]).sort((a, b) => a[1] - b[1]);
  const last = parts.at(-1);
  const ready = median(samples.map((s) => s.ms));
  return (
    "medians after intent: " +
    parts.map(([name, ms]) => `${name.length > 24 ? name.slice(0, 23) + "…" : name} complete ${ms.toFixed(0)} ms`).join(", ") +
    `; form ready ${ready.toFixed(0)} ms (${(ready - last[1]).toFixed(0)} ms after the last byte: compile, instantiate, mount)`
  );
}

/** The figure-2 rows (Mend's targets on Mend only). */
export function firstOpenRows({ cold, warm }, variant) {
  const mend = variant === "mend";
  const checks = (...list) => (mend ? list : []);
  const b = (samples, key) => samples.map((s) => s.bytes[key]);
  return [
    row("cold: intent → form accepts input", "ms", cold.map((s) => s.ms), { checks: checks(atMost("median", 300)), note: whereTimeGoes(cold) }),
    row("cold: bytes, brotli (q11, per resource)", "bytes", b(cold, "brotli"), { checks: checks(atMost("max", 100_000)) }),
    row("cold: bytes on the wire (as served)", "bytes", b(cold, "wire")),
    row("cold: requests", "count", b(cold, "requests"), { checks: checks(atMost("max", 4)) }),
    row("warm: intent → form accepts input", "ms", warm.map((s) => s.ms), { checks: checks(atMost("median", 150)), note: whereTimeGoes(warm) }),
    row("warm: bytes on the wire (as served)", "bytes", b(warm, "wire")),
    row("warm: requests to the network (304s included)", "count", b(warm, "requests")),
  ];
}
