// Starts the real built Mend worker in `wrangler dev` (workerd, local D1 and
// Durable Objects) on a free port with fresh state, seeded with the demo
// workspace, for one test file. Also serves a company's host page from
// another origin, as a real embedding would be.
import assert from "node:assert/strict";
import { spawn, execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { startMailbox } from "../../scripts/mailbox.mjs";

const root = new URL("../..", import.meta.url).pathname;

/** A free TCP port on loopback. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` until it returns a truthy value, at most `attempts` times. */
export async function until(check, { attempts = 100, every = 100, what = "condition" } = {}) {
  let lastError;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await delay(every);
  }
  throw new Error(`gave up waiting for ${what}` + (lastError ? `: ${lastError.message}` : ""));
}

/**
 * Starts Mend. Returns { url, hostUrl, repKey, managerKey, adminToken, stop }.
 * `hostPage(mendUrl)` returns the HTML the host origin serves at `/`.
 * `vars` overrides the worker's vars; report rate limits are raised for
 * tests unless a test sets them.
 */
export async function startMend({ hostPage, vars = {} } = {}) {
  const state = mkdtempSync(join(tmpdir(), "mend-test-"));
  const hostPort = await freePort();
  const hostOrigin = `http://127.0.0.1:${hostPort}`;
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  run("wrangler", ["d1", "migrations", "apply", "mend", "--local", "--persist-to", state]);
  const seeded = run("node", ["scripts/seed.mjs", "--persist-to", state, "--origin", hostOrigin]);
  const key = (name) => seeded.match(new RegExp(`^${name}=(\\S+)$`, "m"))[1];
  const [repKey, managerKey] = [key("REP_KEY"), key("MANAGER_KEY")];

  const adminToken = "mend_admin_" + randomBytes(32).toString("base64url");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Every run has its own inbox: what Mend emails lands there (scripts/mailbox.mjs).
  const mailbox = await startMailbox();
  const workerVars = {
    ADMIN_TOKEN: adminToken,
    REPORTS_PER_MINUTE_PER_ADDRESS: "1000",
    REPORTS_PER_MINUTE_PER_WORKSPACE: "1000",
    MAIL_RELAY_URL: `${mailbox.url}/messages`,
    MAIL_FROM: "care@mend.test",
    PUBLIC_URL: url,
    ...vars,
  };
  const varArgs = (vars) => Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);

  let wrangler;
  let log = "";
  let exited = false;

  /** Starts `wrangler dev` over this run's state with `vars` and waits until it answers. */
  async function launch(vars) {
    exited = false;
    wrangler = spawn(
      "wrangler",
      ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "warn", ...varArgs(vars)],
      { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    wrangler.stdout.on("data", (chunk) => (log += chunk));
    wrangler.stderr.on("data", (chunk) => (log += chunk));
    wrangler.on("exit", () => (exited = true));
    try {
      await until(
        async () => {
          if (exited) throw new Error("wrangler dev exited:\n" + log);
          // A runtime that takes the connection and never answers is asked again, not waited on forever.
          return (await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2000) })).ok;
        },
        { attempts: 600, what: "wrangler dev to answer /v1/health" },
      );
    } catch (error) {
      await halt(); // never leave a runtime behind to keep the test process alive
      error.message += "\n" + log;
      throw error;
    }
  }

  /** Stops `wrangler dev` and waits until its process group is gone (killed after 10 s). */
  async function halt() {
    if (exited) return;
    const gone = new Promise((resolve) => wrangler.on("exit", resolve));
    process.kill(-wrangler.pid, "SIGTERM");
    const timer = setTimeout(() => !exited && process.kill(-wrangler.pid, "SIGKILL"), 10_000);
    await gone;
    clearTimeout(timer);
  }

  await launch(workerVars);

  const host = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(hostPage ? hostPage(url) : "<!doctype html><title>host</title>");
  });
  await new Promise((resolve) => host.listen(hostPort, "127.0.0.1", resolve));

  return {
    url,
    hostUrl: hostOrigin,
    repKey,
    managerKey,
    adminToken,
    /** The run's recording inbox: `messages` holds every email Mend sent, parsed; `url` its address. */
    mailbox,
    log: () => log,
    /**
     * Stops and starts `wrangler dev` again over the same state, as a deploy
     * or crash would; `vars` replace the test's own vars if given.
     */
    async restart({ vars: newVars } = {}) {
      await halt();
      await launch(newVars ? { ...workerVars, ...newVars } : workerVars);
    },
    /**
     * Runs `sql` on this run's local D1, as the index the queue and the
     * record read; resolves to the rows of its one statement.
     */
    async d1(sql) {
      const args = ["d1", "execute", "mend", "--local", "--persist-to", state, "--json", "--command", sql];
      const out = await new Promise((resolve, reject) =>
        execFile("wrangler", args, { cwd: root, env, encoding: "utf8", maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
          error ? reject(new Error(`wrangler d1 execute failed: ${stderr || error.message}`)) : resolve(stdout),
        ),
      );
      return JSON.parse(out)[0].results;
    },
    async stop() {
      await new Promise((resolve) => host.close(resolve));
      await halt();
      await mailbox.close();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/**
 * Gives `body` as a command on `ticket` with `key` (the demo rep's by
 * default), as a rep's tool would; fails the test unless Mend takes it.
 * Returns the ticket view Mend answers.
 */
export async function command(mend, ticket, body, key = mend.repKey) {
  const response = await fetch(`${mend.url}/v1/tickets/${ticket}/commands`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

/** A promise time `minutes` from now, as the API takes it. */
export function inMinutes(minutes) {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

/**
 * Opens a live connection to a ticket as a browser would (credentials as a
 * subprotocol). `received` collects every event in arrival order; `opened`
 * settles when the socket opens or fails; `closed` when it closes.
 */
export function listen(mendUrl, id, token, since) {
  const socket = new WebSocket(`${mendUrl.replace("http", "ws")}/v1/tickets/${id}/live?since=${since}`, ["mend.v1", `mend.auth.${token}`]);
  const received = [];
  socket.onmessage = (message) => received.push(JSON.parse(message.data));
  const opened = new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error("WebSocket failed"));
  });
  const closed = new Promise((resolve) => socket.addEventListener("close", resolve));
  return { socket, received, opened, closed };
}
