// The fan-out load process (started by bench/figures/fan-out.mjs with
// child_process.fork): opens many live WebSocket clients to one ticket, as
// browsers would (`/v1/tickets/{id}/live?since=N`, subprotocols `mend.v1`
// and `mend.auth.<token>`), and for each armed sequence number reports when
// every client received that event. Talks to its parent over IPC only and
// exits when told, when its parent goes, or after 10 minutes whatever happens.
const now = () => performance.timeOrigin + performance.now();
const sockets = [];
let armed = null;

setTimeout(() => process.exit(3), 10 * 60_000).unref();
process.on("disconnect", () => process.exit(0));

/** Opens `count` clients, `parallel` handshakes at a time, within `timeoutMs`. */
async function open({ url, id, token, since, count, parallel, timeoutMs }) {
  const address = `${url.replace(/^http/, "ws")}/v1/tickets/${id}/live?since=${since}`;
  const deadline = Date.now() + timeoutMs;
  const started = now();
  let next = 0;
  let failed = 0;
  const errors = new Set();
  const one = (index) =>
    new Promise((resolve) => {
      const socket = new WebSocket(address, ["mend.v1", `mend.auth.${token}`]);
      const timer = setTimeout(() => (socket.close(), resolve(false)), Math.max(1000, deadline - Date.now()));
      socket.onopen = () => (clearTimeout(timer), resolve(true));
      socket.onerror = (e) => (clearTimeout(timer), errors.add(e.message || "error"), resolve(false));
      socket.onmessage = (message) => {
        const t = now();
        if (!armed) return;
        const event = JSON.parse(message.data);
        if (event.seq === armed.seq && armed.arrivals[index] === 0) {
          armed.arrivals[index] = t;
          if (++armed.got === armed.expected) finish();
        }
      };
      sockets[index] = socket;
    });
  const lane = async () => {
    while (next < count && Date.now() < deadline) {
      const index = next++;
      if (!(await one(index))) failed++;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return { opened: sockets.filter((s) => s.readyState === WebSocket.OPEN).length, failed, errors: [...errors].slice(0, 3), ms: now() - started };
}

function finish() {
  if (!armed) return;
  clearTimeout(armed.timer);
  const { seq, arrivals, got, expected, loop } = armed;
  armed = null;
  // How busy this process itself was during the round: its share of the "last client" time.
  const busyMs = performance.eventLoopUtilization(loop).active;
  process.send({ type: "round", seq, got, expected, busyMs, arrivals: Array.from(arrivals).filter((t) => t > 0) });
}

process.on("message", async (message) => {
  switch (message.type) {
    case "open":
      process.send({ type: "opened", ...(await open(message)) });
      break;
    case "now":
      process.send({ type: "now", now: now() });
      break;
    case "arm":
      // Waits for `seq` on every open client, at most `timeoutMs`; 0 marks a client still waiting.
      armed = {
        seq: message.seq,
        arrivals: new Float64Array(sockets.length),
        got: 0,
        expected: sockets.filter((s) => s.readyState === WebSocket.OPEN).length,
        loop: performance.eventLoopUtilization(),
      };
      armed.timer = setTimeout(finish, message.timeoutMs);
      process.send({ type: "armed", seq: message.seq });
      break;
    case "close":
      for (const socket of sockets) socket.close(1000);
      setTimeout(() => process.exit(0), 500);
      break;
  }
});
process.send({ type: "ready" });
