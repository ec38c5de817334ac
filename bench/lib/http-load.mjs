// A closed-loop HTTP load on loopback: `concurrency` workers each send one
// request at a time over kept-alive connections until `count` requests are
// done or the deadline passes. node:http rather than fetch, so the client
// spends as little of the 2 cores as it can.
import { Agent, request } from "node:http";
import { now } from "./run-guard.mjs";

const D1_TIMING = /(?:^|,\s*)d1;desc="(\d+) round trips?, (\d+) writes?"/;

/** The D1 round trips an answer's `Server-Timing` names (`d1;desc="N round trips, W writes"`), or undefined. */
export function d1Trips(serverTiming) {
  const match = D1_TIMING.exec(serverTiming ?? "");
  return match ? Number(match[1]) : undefined;
}

/** The worker's own time for an answer, `total;dur=` in its `Server-Timing`, in ms, or undefined. */
export function serverTotal(serverTiming) {
  const match = /(?:^|,\s*)total;dur=([\d.]+)/.exec(serverTiming ?? "");
  return match ? Number(match[1]) : undefined;
}

/** Those of an answer's D1 round trips that wrote, as its `Server-Timing` names them, or undefined. */
export function d1Writes(serverTiming) {
  const match = D1_TIMING.exec(serverTiming ?? "");
  return match ? Number(match[2]) : undefined;
}

/** One request; resolves to { status, ms, d1 } with the body read to its end, or { status: 0, error }. */
function once(agent, url, { method = "GET", headers = {}, body }) {
  return new Promise((resolve) => {
    const start = now();
    const req = request(url, { method, agent, headers, timeout: 10_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => text.length < 300 && (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, ms: now() - start, text, d1: d1Trips(res.headers["server-timing"]), total: serverTotal(res.headers["server-timing"]) }));
    });
    req.on("error", (error) => resolve({ status: 0, ms: now() - start, error: error.message }));
    req.on("timeout", () => req.destroy(new Error("timed out after 10 s")));
    req.end(body);
  });
}

/**
 * Runs the load. `make(i)` returns the i-th request ({ method, headers, body }).
 * Every answer but `expect` counts as an error. Returns
 * { latencies (ms, of good answers), d1 (their D1 round trips, from Server-Timing), totals (the
 * worker's own time for each, from Server-Timing), errors, statuses,
 * wallMs, throughput (good answers/s), completed }.
 */
export async function load(url, { concurrency, count, warmup = 0, deadline, expect = 200, make }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    for (let i = 0; i < warmup; i++) await once(agent, url, make(-1 - i));
    const latencies = [];
    const d1 = [];
    const totals = [];
    const statuses = {};
    const errorSamples = [];
    let next = 0;
    let errors = 0;
    const started = now();
    const worker = async () => {
      while (next < count && Date.now() < deadline) {
        const answer = await once(agent, url, make(next++));
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status === expect) {
          latencies.push(answer.ms);
          if (answer.d1 !== undefined) d1.push(answer.d1);
          if (answer.total !== undefined) totals.push(answer.total);
        } else {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(answer.error ?? `HTTP ${answer.status} ${answer.text.slice(0, 160)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wallMs = now() - started;
    return { latencies, d1, totals, errors, errorSamples, statuses, wallMs, throughput: latencies.length / (wallMs / 1000), completed: next };
  } finally {
    agent.destroy();
  }
}

/** A single JSON request, for setting things up (not timed). */
export async function json(url, { method = "GET", headers = {}, body } = {}) {
  const response = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return JSON.parse(text);
}
