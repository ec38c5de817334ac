// The real built worker in `wrangler dev --log-level warn`, for the bench:
// run from a snapshot of the build taken when the bench starts (so a rebuild
// during the run neither reloads the runtime under load nor changes the
// artifacts half-way), over fresh local state (migrations applied, the demo
// workspace seeded with the bench's host origin allowed), with a start that
// times itself from spawn to the first 200 on /v1/health (the cold start).
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../tests/support/mend.mjs";
import { now, onStop, sleep, trackGroup } from "./run-guard.mjs";

export const root = new URL("../..", import.meta.url).pathname;
/** Where the snapshot of the build lives: wrangler.toml, worker/build, worker/migrations, public/ (with app/). */
export const snapshotDir = join(root, "target/bench/snapshot");
/** The widget's cargo output (before wasm-bindgen and wasm-opt), kept with the snapshot for the size breakdown. */
export const snapshotCargoWasm = join(snapshotDir, "mend-app.cargo.wasm");
const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };


/** Copies the built artifacts the bench measures into `snapshotDir`. */
export function snapshot() {
  rmSync(snapshotDir, { recursive: true, force: true });
  mkdirSync(snapshotDir, { recursive: true });
  for (const path of ["wrangler.toml", "worker/build", "worker/migrations", "public"]) {
    cpSync(join(root, path), join(snapshotDir, path), { recursive: true });
  }
  const cargoWasm = join(process.env.CARGO_TARGET_DIR || join(root, "target"), "wasm32-unknown-unknown/release/mend-app.wasm");
  if (existsSync(cargoWasm)) cpSync(cargoWasm, snapshotCargoWasm);
  return snapshotDir;
}

/**
 * Makes fresh local state for the run: D1 migrations applied and the demo
 * workspace seeded (scripts/seed.mjs), allowing `origins`. Returns
 * { state, repKey }. The directory is removed when the run stops.
 */
export function prepareState(origins) {
  const state = mkdtempSync(join(tmpdir(), "mend-bench-"));
  onStop(async () => rmSync(state, { recursive: true, force: true }));
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: snapshotDir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  run("wrangler", ["d1", "migrations", "apply", "mend", "--local", "--persist-to", state]);
  const seeded = run("node", [join(root, "scripts/seed.mjs"), "--persist-to", state, ...origins.flatMap((o) => ["--origin", o])]);
  const repKey = seeded.match(/^REP_KEY=(\S+)$/m)[1];
  const managerKey = seeded.match(/^MANAGER_KEY=(\S+)$/m)[1];
  return { state, repKey, managerKey };
}

/** GET `url` with a fresh connection; resolves to the status, or 0 when nothing answers. */
function probe(url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/**
 * Spawns `wrangler dev` over `state` and waits for the first 200 on
 * /v1/health (polled every 10 ms, each poll on a new connection, at most
 * `timeoutMs`). Returns { url, coldStartMs, stop, log }.
 */
export async function startWorker({ state, vars = {}, timeoutMs = 120_000 }) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const varArgs = Object.entries({ ADMIN_TOKEN: "mend_admin_" + randomBytes(32).toString("base64url"), ...vars }).flatMap(
    ([name, value]) => ["--var", `${name}:${value}`],
  );
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort)];
  args.push("--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "warn", ...varArgs);

  let log = "";
  let exited = false;
  const started = now();
  const child = spawn("wrangler", args, { cwd: snapshotDir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const untrack = trackGroup(child.pid);
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  const gone = new Promise((resolve) => child.on("exit", () => ((exited = true), resolve())));

  async function stop() {
    if (!exited) {
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => !exited && process.kill(-child.pid, "SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    untrack();
    unregister();
  }
  const unregister = onStop(stop);

  const deadline = started + timeoutMs;
  while (now() < deadline) {
    if (exited) break;
    if ((await probe(`${url}/v1/health`)) === 200) {
      return { url, coldStartMs: now() - started, stop, log: () => log };
    }
    await sleep(10);
  }
  await stop();
  throw new Error(`wrangler dev did not answer /v1/health within ${timeoutMs} ms${exited ? " (it exited)" : ""}:\n${log}`);
}
