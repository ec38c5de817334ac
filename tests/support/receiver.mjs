// A company's webhook endpoint on loopback: a real HTTP server that verifies
// every delivery with the npm `standardwebhooks` package — an implementation
// Mend did not write — and records what it got and whether it held.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

/**
 * Starts a receiver. `answer(delivery, n)` decides each answer: it returns
 * `{ status, headers, body }`, or `{ hang: true }` to never answer; by
 * default 200. `secrets` are the endpoint's secrets the receiver knows;
 * each delivery records which of them verify it.
 */
export async function startReceiver({ answer = () => ({ status: 200 }) } = {}) {
  const received = [];
  const secrets = new Map();
  const hanging = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": req.headers["webhook-id"],
        "webhook-timestamp": req.headers["webhook-timestamp"],
        "webhook-signature": req.headers["webhook-signature"],
      };
      const verifiedBy = [];
      for (const [name, secret] of secrets) {
        try {
          new Webhook(secret).verify(raw, headers);
          verifiedBy.push(name);
        } catch {
          // Not this secret's signature.
        }
      }
      const delivery = { path: req.url, headers, raw, body: safeJson(raw), verifiedBy, at: Date.now() };
      received.push(delivery);
      const reply = answer(delivery, received.length);
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      delivery.answered = reply.status;
      res.writeHead(reply.status, { "Content-Type": "text/plain", ...(reply.headers ?? {}) });
      res.end(reply.body ?? "ok");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    received,
    /** Lets the receiver verify with `secret`, known by `name`. */
    know(name, secret) {
      secrets.set(name, secret);
    },
    /** The deliveries whose body's `type` is not `webhook.test`, for `ticket`. */
    of(ticket) {
      return received.filter((d) => d.body?.data?.ticket_id === ticket);
    },
    async stop() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
