// Figure 4: a rep's update to the text on the customer's screen. A customer
// reports through the widget in Chromium and keeps it open (live); the bench,
// as the rep, posts `update` commands one at a time, each carrying a marker
// ("Bench update #n.") and a promise two hours ahead.
//
// Timing: the bench takes its clock (performance.timeOrigin + now()) just
// before it writes the request. In the widget's frame a MutationObserver
// timestamps the first DOM mutation that contains the marker with the
// frame's performance.timeOrigin + now(). Before and after each ticket's
// run the frame's clock is calibrated against the bench's (the round trip
// through DevTools with the smallest delay, NTP-style), and the frame's
// times are shifted onto the bench's scale. The next update goes out only
// after the page has reported the previous one and 25 ms have passed.
import { atMost, row } from "../lib/figure.mjs";
import { median } from "../lib/stats.mjs";
import { frameClock, launcher } from "../lib/browser.mjs";
import { Agent, request } from "node:http";
import { d1Trips } from "../lib/http-load.mjs";
import { now, sleep } from "../lib/run-guard.mjs";

/** POSTs `body` as the rep; resolves when the answer is read, to { status, d1 } (its D1 round trips). */
function post(agent, url, repKey, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent, headers: { Authorization: `Bearer ${repKey}`, "Content-Type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, d1: d1Trips(res.headers["server-timing"]) }));
    });
    req.on("error", () => resolve({ status: 0 }));
    req.setTimeout(10_000, () => req.destroy());
    req.end(payload);
  });
}

/** Opens the widget, reports, waits until it is live; returns { sample, frame, ticket }. */
async function openTicket(browser, hostUrl, i) {
  const sample = await browser.sample();
  const { page } = sample;
  await page.goto(`${hostUrl}/mend`, { waitUntil: "load" });
  await launcher(page, "mend").click();
  const frame = await sample.seen("mend-form");
  await frame.getByTestId("what-happened").fill(`Bench ticket ${i}: the armchair was not in the delivery.`);
  await frame.getByTestId("send-report").click();
  await sample.seen("mend-apology");
  const ticket = (await frame.getByTestId("reference").textContent()).trim();
  await frame.getByTestId("live-status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
  return { sample, frame, ticket };
}

/**
 * `tickets` tickets × `perTicket` updates. Returns { latencies, lost, statuses,
 * clock: { rtt, drift } } with latencies in ms, in send order.
 */
export async function measureUpdateToScreen({ browser, url, hostUrl, repKey, tickets, perTicket, deadline }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  const answered = [];
  const trips = [];
  const clock = { rtt: 0, drift: 0 };
  let lost = 0;
  let failed = 0;
  let n = 0;
  try {
    for (let t = 0; t < tickets && Date.now() < deadline; t++) {
      const { sample, frame, ticket } = await openTicket(browser, hostUrl, t);
      try {
        const before = await frameClock(frame);
        const sent = new Map();
        for (let i = 0; i < perTicket && Date.now() < deadline; i++) {
          const marker = ++n;
          const seen = sample.seen(`u${marker}`, 6000).then(
            () => true,
            () => false,
          );
          const body = { type: "update", text: `Bench update #${marker}.`, next_update_by: new Date(Date.now() + 2 * 3600_000).toISOString() };
          const at = now();
          sent.set(marker, at);
          const { status, d1 } = await post(agent, `${url}/v1/tickets/${ticket}/commands`, repKey, body);
          answered.push(now() - at);
          if (status !== 200) failed++;
          else if (d1 !== undefined) trips.push(d1);
          if (!(await seen)) lost++;
          await sleep(25);
        }
        const after = await frameClock(frame);
        const seenAt = await frame.evaluate(() => window.__bench.seen);
        const offset = (before.offset + after.offset) / 2;
        clock.rtt = Math.max(clock.rtt, before.rtt, after.rtt);
        clock.drift = Math.max(clock.drift, Math.abs(after.offset - before.offset));
        for (const [marker, at] of sent) {
          const shown = seenAt[`u${marker}`];
          if (shown !== undefined) latencies.push(shown - offset - at);
        }
      } finally {
        await sample.close();
      }
    }
  } finally {
    agent.destroy();
  }
  return { latencies, answered, trips, lost, failed, clock };
}

export function updateRows(result) {
  const voidReason = result.failed ? `${result.failed} commands refused` : result.lost ? `${result.lost} updates never shown` : undefined;
  return [
    row("rep update → text in the customer's DOM", "ms", result.latencies, {
      checks: [atMost("median", 20), atMost("p99", 50)],
      voidReason,
      note:
        `the rep's POST itself was answered in ${median(result.answered).toFixed(1)} ms (median; the worker, the ticket's object, ` +
        `D1 and the broadcast); clock calibration: round trip ≤ ${result.clock.rtt.toFixed(2)} ms, drift ${result.clock.drift.toFixed(3)} ms`,
    }),
    // The rep's key is one read; everything else belongs in the ticket's object.
    row("D1 round trips on a rep command's path (Server-Timing)", "count", result.trips, { checks: [atMost("max", 1)] }),
  ];
}
