// Figure 5: one ticket watched by 1,000 live clients. A separate Node
// process (bench/lib/fanout-client.mjs) holds the WebSockets; the bench, as
// the rep, posts an update and the load process reports when each client
// had it. Its clock is calibrated against the bench's over IPC (the
// exchange with the shortest round trip), so the rep's send time and the
// clients' arrival times are compared on one scale.
import { fork } from "node:child_process";
import { atMost, row } from "../lib/figure.mjs";
import { median } from "../lib/stats.mjs";
import { json } from "../lib/http-load.mjs";
import { calibrate, now, onStop, sleep, within } from "../lib/run-guard.mjs";

/** A small IPC client for the load process: `ask(message, replyType)`. */
function startLoadProcess() {
  const child = fork(new URL("../lib/fanout-client.mjs", import.meta.url).pathname, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting = new Map();
  child.on("message", (message) => {
    const resolve = waiting.get(message.type);
    waiting.delete(message.type);
    resolve?.(message);
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const next = (type) => new Promise((resolve) => waiting.set(type, resolve));
  const ask = (message, replyType, ms = 30_000) => {
    const reply = next(replyType);
    child.send(message);
    return within(reply, ms, `load process (${message.type})`);
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send({ type: "close" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { ready: within(next("ready"), 10_000, "load process start"), ask, next, stop };
}

/**
 * Opens `clients` live clients to a fresh ticket and runs `rounds` updates.
 * Returns { opened, failed, openMs, perClient (ms), toLast (ms per round), incomplete, clock }.
 */
export async function measureFanOut({ url, repKey, clients, rounds, deadline }) {
  const receipt = await json(`${url}/v1/reports`, {
    method: "POST",
    body: { workspace: "acme", what_happened: "Bench fan-out: one ticket, many watchers.", order_id: "1042" },
  });
  const id = receipt.ticket.id;
  const token = receipt.customer_token;
  const load = startLoadProcess();
  const unregister = onStop(load.stop);
  try {
    await load.ready;
    const opened = await load.ask(
      { type: "open", url, id, token, since: 1, count: clients, parallel: 16, timeoutMs: Math.min(120_000, deadline - Date.now()) },
      "opened",
      130_000,
    );
    const clock = await calibrate(async () => (await load.ask({ type: "now" }, "now")).now, 15);
    const perClient = [];
    const toLast = [];
    const busy = [];
    let incomplete = 0;
    let seq = 1;
    await sleep(500);
    for (let r = 0; r < rounds && Date.now() < deadline; r++) {
      seq++;
      await load.ask({ type: "arm", seq, timeoutMs: 10_000 }, "armed");
      const round = load.next("round");
      const sent = now();
      await json(`${url}/v1/tickets/${id}/commands`, {
        method: "POST",
        headers: { Authorization: `Bearer ${repKey}` },
        body: { type: "update", text: `Bench fan-out #${seq}.`, next_update_by: new Date(Date.now() + 2 * 3600_000).toISOString() },
      });
      const result = await within(round, 15_000, "fan-out round");
      if (result.got < result.expected) incomplete++;
      busy.push(result.busyMs);
      const latencies = result.arrivals.map((t) => t - clock.offset - sent);
      perClient.push(...latencies);
      if (result.got === result.expected) toLast.push(Math.max(...latencies));
      await sleep(300);
    }
    const after = await calibrate(async () => (await load.ask({ type: "now" }, "now")).now, 15);
    return {
      opened: opened.opened,
      failed: opened.failed,
      openErrors: opened.errors,
      openMs: opened.ms,
      perClient,
      toLast,
      busy,
      incomplete,
      clock: { rtt: Math.max(clock.rtt, after.rtt), drift: Math.abs(after.offset - clock.offset) },
    };
  } finally {
    unregister();
    await load.stop();
  }
}

export function fanOutRows(result, clients) {
  const short = result.opened < clients ? `only ${result.opened} of ${clients} clients connected (${result.openErrors.join(", ")})` : undefined;
  const voidReason = short ?? (result.incomplete ? `${result.incomplete} rounds where some client never got the update` : undefined);
  const note =
    `${result.opened} clients opened in ${(result.openMs / 1000).toFixed(1)} s; the load process was itself busy ` +
    `${median(result.busy).toFixed(0)} ms per round (median), part of the time to the last client; clock round trip ≤ ${result.clock.rtt.toFixed(2)} ms`;
  return [
    row(`update → last of ${result.opened} clients has it (per round)`, "ms", result.toLast, { checks: [atMost("p95", 250)], voidReason, note }),
    row("update → each client has it (every delivery)", "ms", result.perClient, { checks: [atMost("p99", 250)], voidReason }),
  ];
}
