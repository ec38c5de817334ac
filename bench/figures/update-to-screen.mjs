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
import { d1Trips, d1Writes } from "../lib/http-load.mjs";
import { now, sleep } from "../lib/run-guard.mjs";

/** Waits until `check()` holds or `ms` have passed, looking every 10 ms. */
async function until(check, ms) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(10);
}

/**
 * POSTs `body` as the rep; resolves when the answer is read, to { status, d1,
 * writes, seq } (its D1 round trips, those that wrote, and the new event's seq).
 */
function post(agent, url, repKey, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent, headers: { Authorization: `Bearer ${repKey}`, "Content-Type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        const timing = res.headers["server-timing"];
        let seq;
        try {
          seq = JSON.parse(text).last_seq;
        } catch {}
        resolve({ status: res.statusCode, d1: d1Trips(timing), writes: d1Writes(timing), seq });
      });
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
  const ticket = await frame.getByTestId("ticket").getAttribute("data-ticket");
  await frame.getByTestId("live-status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
  return { sample, frame, ticket };
}

/**
 * The workspace's live queue as a console holds it: resolves, once open, to
 * `arrived`, the time each `queue_changed` came (by "ticket seq"), which the
 * ticket's object sends once D1 has the event.
 */
async function queueWatch(url, repKey) {
  const socket = new WebSocket(`${url.replace("http", "ws")}/v1/queue/live`, ["mend.v1", `mend.auth.${repKey}`]);
  const arrived = new Map();
  socket.onmessage = (message) => {
    const change = JSON.parse(message.data);
    if (change.type === "queue_changed") arrived.set(`${change.ticket_id} ${change.seq}`, now());
  };
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error("the queue's socket failed"));
  });
  return { arrived, close: () => socket.close() };
}

/**
 * `tickets` tickets × `perTicket` updates. Returns { latencies, answered,
 * trips, writes, lags, lost, failed, clock: { rtt, drift } } with latencies
 * in ms, in send order; `lags` are from each answer to its `queue_changed`.
 */
export async function measureUpdateToScreen({ browser, url, hostUrl, repKey, tickets, perTicket, deadline }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const queue = await queueWatch(url, repKey);
  const lags = [];
  const projected = [];
  const latencies = [];
  const answered = [];
  const trips = [];
  const writes = [];
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
          const { status, d1, writes: written, seq } = await post(agent, `${url}/v1/tickets/${ticket}/commands`, repKey, body);
          const answeredAt = now();
          answered.push(answeredAt - at);
          if (status === 200) projected.push({ key: `${ticket} ${seq}`, answeredAt });
          if (status !== 200) failed++;
          else if (d1 !== undefined) trips.push(d1), writes.push(written);
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
    // Each answer's projection has landed once its queue_changed arrived.
    await until(() => projected.every(({ key }) => queue.arrived.has(key)), 5000);
    for (const { key, answeredAt } of projected) {
      if (queue.arrived.has(key)) lags.push(Math.max(0, queue.arrived.get(key) - answeredAt));
    }
  } finally {
    agent.destroy();
    queue.close();
  }
  return { latencies, answered, trips, writes, lags, unprojected: projected.length - lags.length, lost, failed, clock };
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
    row("D1 writes on a rep command's path (Server-Timing)", "count", result.writes, { checks: [atMost("max", 0)] }),
    // Reported, not judged: how far the index (queue, listings, record) trails a ticket's log.
    row("projection lag: rep's answer → D1 has the event (queue_changed)", "ms", result.lags, {
      voidReason: result.unprojected ? `${result.unprojected} events never reached D1` : undefined,
    }),
  ];
}
