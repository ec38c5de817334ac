// Figure 8: webhooks. A receiver on loopback (answering 200 at once)
// registered as Acme's one endpoint; the bench, as the rep, sends messages.
//
// Latency: one command at a time over a few tickets; from just before the
// bench writes the command to the moment the receiver has read the
// delivery's body (both on the bench's clock).
//
// Burst: 1,000 messages on 100 tickets (10 each), sent 16 at a time, first
// with no endpoint registered and then with the receiver registered, so the
// commands' own latency is measured with and without deliveries behind
// them. The receiver counts each webhook-id once and every repeat.
import { createServer } from "node:http";
import { Agent, request } from "node:http";
import { atMost, row } from "../lib/figure.mjs";
import { json } from "../lib/http-load.mjs";
import { now } from "../lib/run-guard.mjs";
import { median } from "../lib/stats.mjs";

/** A receiver: `arrived` maps webhook-id → first arrival time; `repeats` counts the rest. */
async function startReceiver() {
  const arrived = new Map();
  let repeats = 0;
  const waiting = new Map();
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = req.headers["webhook-id"];
      if (arrived.has(id)) repeats++;
      else {
        arrived.set(id, now());
        waiting.get(id)?.();
      }
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    arrived,
    repeats: () => repeats,
    /** Resolves when `id` has arrived, or after `ms`. */
    seen(id, ms) {
      if (arrived.has(id)) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        waiting.set(id, () => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        });
      });
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** POSTs a message to `ticket` as the rep; resolves to { ms, status, seq }. */
function message(agent, url, repKey, ticket, text) {
  const payload = JSON.stringify({ type: "message", text });
  return new Promise((resolve) => {
    const started = now();
    const req = request(`${url}/v1/tickets/${ticket}/commands`, { method: "POST", agent, headers: { Authorization: `Bearer ${repKey}`, "Content-Type": "application/json" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => {
        let seq;
        try {
          seq = JSON.parse(body).last_seq;
        } catch {}
        resolve({ started, ms: now() - started, status: res.statusCode, seq });
      });
    });
    req.on("error", () => resolve({ started, ms: now() - started, status: 0 }));
    req.setTimeout(10_000, () => req.destroy());
    req.end(payload);
  });
}

async function tickets(url, count) {
  const ids = [];
  for (let i = 0; i < count; i++) {
    const created = await json(`${url}/v1/reports`, { method: "POST", body: { workspace: "acme", what_happened: `Bench webhook ticket ${i}: the lamp flickers.` } });
    ids.push(created.ticket.id);
  }
  return ids;
}

/** Sends `perTicket` messages to each of `ids`, `concurrency` at a time; resolves to the answers. */
async function burst(agent, url, repKey, ids, perTicket, concurrency) {
  const jobs = ids.flatMap((id) => Array.from({ length: perTicket }, (_, n) => ({ id, n })));
  // Interleaved, so the 16 in flight are on different tickets.
  jobs.sort((a, b) => a.n - b.n);
  const answers = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { id, n } = jobs[next++];
      answers.push({ id, ...(await message(agent, url, repKey, id, `Bench burst message ${n + 1}.`)) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

export async function measureWebhooks({ url, repKey, managerKey, events, burstTickets, perTicket, deadline }) {
  const receiver = await startReceiver();
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const manager = { Authorization: `Bearer ${managerKey}` };
  let endpoint;
  try {
    // The burst without an endpoint first: the commands' own latency with nothing to deliver.
    const quiet = await burst(agent, url, repKey, await tickets(url, burstTickets), perTicket, 16);

    endpoint = (await json(`${url}/v1/workspaces/acme/webhooks`, { method: "POST", headers: manager, body: { url: receiver.url, description: "bench" } })).endpoint;

    // Latency, one command at a time.
    const latency = [];
    let lost = 0;
    const few = await tickets(url, 4);
    for (let i = 0; i < events && Date.now() < deadline; i++) {
      const ticket = few[i % few.length];
      const answer = await message(agent, url, repKey, ticket, `Bench webhook ${i + 1}.`);
      if (answer.status !== 200) {
        lost++;
        continue;
      }
      const id = `msg_${ticket}_${answer.seq}`;
      await receiver.seen(id, 10_000);
      if (receiver.arrived.has(id)) latency.push(receiver.arrived.get(id) - answer.started);
      else lost++;
    }

    // The burst with the endpoint: every delivery, none twice, and the time to the last.
    const before = receiver.arrived.size;
    const repeatsBefore = receiver.repeats();
    const burstIds = await tickets(url, burstTickets);
    const start = now();
    const loud = await burst(agent, url, repKey, burstIds, perTicket, 16);
    const expected = loud.filter((a) => a.status === 200).map((a) => `msg_${a.id}_${a.seq}`);
    const end = Math.min(deadline, Date.now() + 120_000);
    while (expected.some((id) => !receiver.arrived.has(id)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const delivered = expected.filter((id) => receiver.arrived.has(id));
    const toLast = delivered.length ? Math.max(...delivered.map((id) => receiver.arrived.get(id))) - start : undefined;
    return {
      latency,
      lost,
      burst: {
        tickets: burstIds.length,
        sent: loud.length,
        accepted: expected.length,
        delivered: delivered.length,
        repeats: receiver.repeats() - repeatsBefore,
        toLast,
        received: receiver.arrived.size - before,
        quiet: quiet.filter((a) => a.status === 200).map((a) => a.ms),
        loud: loud.filter((a) => a.status === 200).map((a) => a.ms),
      },
    };
  } finally {
    if (endpoint) await fetch(`${url}/v1/workspaces/acme/webhooks/${endpoint.id}`, { method: "DELETE", headers: manager }).catch(() => {});
    agent.destroy();
    await receiver.stop();
  }
}

export function webhookRows(result) {
  const b = result.burst;
  const short = b.delivered < b.accepted ? `${b.accepted - b.delivered} of ${b.accepted} never arrived` : undefined;
  const ratio = median(b.loud) / median(b.quiet);
  return [
    row("event committed → receiver has its webhook (command sent → body read)", "ms", result.latency, {
      checks: [atMost("p99", 1000)],
      voidReason: result.lost ? `${result.lost} commands or deliveries lost` : undefined,
    }),
    row(`burst: ${b.accepted} events on ${b.tickets} tickets, first sent → last delivered`, "ms", b.toLast === undefined ? [] : [b.toLast], {
      voidReason: short,
      note: `${b.delivered} of ${b.accepted} delivered, ${b.repeats} delivered twice`,
    }),
    row("burst: deliveries received twice", "count", [b.repeats], { checks: [atMost("max", 0)] }),
    row("burst: a command's latency with no endpoint", "ms", b.quiet, { note: "16 in flight" }),
    row("burst: a command's latency while its webhooks go out", "ms", b.loud, {
      note: `median ${ratio.toFixed(2)}× the one with no endpoint`,
    }),
    row("burst: command latency with ÷ without deliveries (medians)", "ratio", [ratio], { checks: [atMost("max", 1.25)] }),
  ];
}
