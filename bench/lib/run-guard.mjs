// What keeps `make bench` bounded and tidy: one clock for every timestamp,
// the run's time budget, and the list of things to stop (wrangler's process
// group, Chromium, the fan-out process, local servers) on the way out,
// whether the run ends well, fails, or is interrupted.

/**
 * Milliseconds on the wall-clock scale with sub-millisecond resolution:
 * `performance.timeOrigin + performance.now()`, the same expression the
 * pages and the fan-out process use, so timestamps from different places
 * can be compared once their offset is measured (see `calibrate`).
 */
export const now = () => performance.timeOrigin + performance.now();

/**
 * NTP-style offset of another clock from `now()`: asks `remoteNow` (a page,
 * a frame, a process) for its time `tries` times and keeps the exchange with
 * the shortest round trip. Returns { offset, rtt } in ms: remote ≈ local + offset,
 * uncertain by at most rtt/2.
 */
export async function calibrate(remoteNow, tries = 9) {
  let best = { offset: 0, rtt: Infinity };
  for (let i = 0; i < tries; i++) {
    const before = now();
    const remote = await remoteNow();
    const after = now();
    const rtt = after - before;
    if (rtt < best.rtt) best = { offset: remote - (before + after) / 2, rtt };
  }
  return best;
}

/** The run's time budget: `left()` ms remain; `phase(ms)` is a deadline for one phase, never past the run's. */
export function budget(totalMs) {
  const end = Date.now() + totalMs;
  return {
    left: () => end - Date.now(),
    deadline: (ms) => Math.min(end, Date.now() + ms),
  };
}

const stops = [];
const groups = new Set();
let stopping;

/** Registers `stop` (async) to run at the end, last registered first. Returns an unregister function. */
export function onStop(stop) {
  stops.push(stop);
  return () => {
    const i = stops.indexOf(stop);
    if (i >= 0) stops.splice(i, 1);
  };
}

/** Remembers a detached child's process group so it is killed even if the run dies abruptly. */
export function trackGroup(pid) {
  groups.add(pid);
  return () => groups.delete(pid);
}

/** Runs every registered stop once (each bounded to 15 s), then kills any process group still tracked. */
export function stopAll() {
  stopping ??= (async () => {
    while (stops.length) {
      const stop = stops.pop();
      try {
        await Promise.race([stop(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      } catch (error) {
        console.error(`bench: cleanup step failed: ${error.message}`);
      }
    }
    killGroups();
  })();
  return stopping;
}

function killGroups() {
  for (const pid of groups) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  groups.clear();
}

// The last line of defence: whatever happens, no runtime outlives the run.
process.on("exit", killGroups);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, async () => {
    console.error(`\nbench: ${signal}, stopping wrangler, Chromium and the load process…`);
    await stopAll();
    process.exit(130);
  });
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection naming `what` after `ms`. */
export function within(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}
