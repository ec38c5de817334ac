// Headless Chromium for the bench, driven by playwright-core, measured
// through the Chrome DevTools protocol: every request with its encoded
// (on-the-wire) size and cache status, the page's main-thread metrics, and
// an instrumentation script in every frame that timestamps clicks, long
// tasks, layout shifts and the moment a watched element becomes usable.
import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../../tests/support/widget-page.mjs";
import { calibrate, onStop } from "./run-guard.mjs";


/**
 * What every frame runs before its own scripts. `window.__bench` holds:
 * clicks (timestamps of clicks, capture phase), intents (of pointerover,
 * pointerdown, focusin and click: the first is when intent began),
 * longtasks, layoutShift (sum of shift values without recent input),
 * seen (name → first time the watched element was present, connected,
 * enabled and laid out; for text markers, `u<n>` → first time "Bench update #n."
 * was in the DOM). Times are performance.timeOrigin + performance.now().
 * A MutationObserver does the watching, also inside open shadow roots as
 * they are attached, so no polling loop runs in the page.
 */
const INSTRUMENT = (watches) => {
  if (window.__bench) return;
  const now = () => performance.timeOrigin + performance.now();
  const bench = (window.__bench = { clicks: [], intents: [], longtasks: [], layoutShift: 0, shifts: 0, seen: {} });
  addEventListener("click", () => bench.clicks.push(now()), true);
  // The first sign of intent: a loader may start work on hover or focus, before the click itself.
  for (const type of ["pointerover", "pointerdown", "focusin", "click"]) addEventListener(type, () => bench.intents.push(now()), true);
  const observe = (type, each) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(each)).observe({ type, buffered: true });
    } catch {
      // entry type not supported: the figure stays empty rather than wrong
    }
  };
  observe("longtask", (e) => bench.longtasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration }));
  observe("layout-shift", (e) => {
    if (!e.hadRecentInput) (bench.layoutShift += e.value), bench.shifts++;
  });

  const roots = [document];
  const pending = new Map(watches.map(([name, selector]) => [name, selector]));
  const usable = (el) => el && el.isConnected && !el.matches(":disabled") && el.getClientRects().length > 0;
  const marker = /Bench update #(\d+)\./g;
  const check = (records) => {
    const t = now();
    for (const record of records) {
      if (record.type === "characterData") scan(record.target.data, t);
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.shadowRoot && !roots.includes(node.shadowRoot)) {
          roots.push(node.shadowRoot);
          observer.observe(node.shadowRoot, options);
        }
        scan(node.textContent, t);
      }
    }
    for (const [name, selector] of pending) {
      if (roots.some((root) => usable(root.querySelector(selector)))) {
        bench.seen[name] = t;
        pending.delete(name);
        window.__benchSeen?.(name);
      }
    }
  };
  const scan = (text, t) => {
    if (!text || !text.includes("Bench update #")) return;
    for (const [, n] of text.matchAll(marker)) {
      if (bench.seen["u" + n] === undefined) {
        bench.seen["u" + n] = t;
        window.__benchSeen?.("u" + n);
      }
    }
  };
  const options = { subtree: true, childList: true, attributes: true, characterData: true };
  const observer = new MutationObserver(check);
  observer.observe(document, options);
  // A frame rendered while hidden becomes usable when shown, which mutates nothing inside it.
  addEventListener("resize", () => pending.size && check([]));
};

/** The elements the bench waits for, by name (looked up in the document and open shadow roots). */
const WATCHES = [
  ["mend-form", "[data-testid=what-happened]"],
  ["mend-apology", "[data-testid=apology]"],
  ["sentry-form", "dialog[open] textarea[name=message]"],
  ["sentry-success", ".success__content"],
];

/** The launcher button of `variant`'s widget on the host page (Playwright pierces open shadow roots). */
export const launcher = (page, variant) => (variant === "mend" ? page.getByTestId("mend-launcher") : page.locator(".widget__actor"));

/** Launches Chromium with no background traffic; closed when the run stops. */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The bench's own signal handlers close Chromium after the rest; Playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: CHROMIUM_ARGS,
  });
  const unregister = onStop(() => browser.close());
  return {
    version: browser.version(),
    /** A fresh context (empty HTTP and code caches, no storage), instrumented. */
    async sample() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(`(${INSTRUMENT})(${JSON.stringify(WATCHES)})`);
      // The page tells the bench the moment a watched thing is seen (after timestamping it), so nothing polls.
      const arrived = new Map();
      const waiting = new Map();
      await context.exposeBinding("__benchSeen", ({ frame }, key) => {
        arrived.set(key, frame);
        waiting.get(key)?.(frame);
      });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const net = new NetworkLog(cdp);
      await cdp.send("Network.enable", { maxTotalBufferSize: 64 << 20, maxResourceBufferSize: 16 << 20 });
      await cdp.send("Performance.enable");
      return {
        context,
        page,
        cdp,
        net,
        /**
         * The page's main-thread metrics in ms: `thread` is the main thread's CPU time
         * (ThreadTime, steady on a busy machine where wall-clock task time is not),
         * `task` its wall-clock time in tasks, `script` in script.
         */
        async metrics() {
          const { metrics } = await cdp.send("Performance.getMetrics");
          const get = (name) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
          return { thread: get("ThreadTime"), task: get("TaskDuration"), script: get("ScriptDuration"), layout: get("LayoutDuration") };
        },
        /** Resolves to the frame once `key` is seen in any frame of the page (at most `ms`). */
        seen(key, ms = 15_000) {
          if (arrived.has(key)) return Promise.resolve(arrived.get(key));
          return new Promise((resolve, reject) => {
            const timer = setTimeout(() => (waiting.delete(key), reject(new Error(`never saw ${key} within ${ms} ms`))), ms);
            waiting.set(key, (frame) => (clearTimeout(timer), waiting.delete(key), resolve(frame)));
          });
        },
        /** Forgets what was seen, for a page that is loaded again. */
        forget: () => arrived.clear(),
        close: () => context.close(),
      };
    },
    close: async () => {
      unregister();
      await browser.close();
    },
  };
}

/** Offset of a frame's clock from the bench's (`run-guard.now`). */
export const frameClock = (frame) => calibrate(() => frame.evaluate(() => performance.timeOrigin + performance.now()));

/**
 * Every request the page (and its same-process frames) makes, from CDP's
 * Network domain: url, type, status, whether the cache answered, and
 * `encoded` — the bytes received on the wire including headers
 * (loadingFinished.encodedDataLength) — and `endWall`, when the last byte
 * arrived on the wall clock (to the millisecond or so).
 */
export class NetworkLog {
  constructor(cdp) {
    this.cdp = cdp;
    this.requests = [];
    const byId = new Map();
    cdp.on("Network.requestWillBeSent", (e) => {
      // DevTools' timestamps are monotonic seconds; wallTime maps them to the wall clock.
      this.wallOffset = e.wallTime * 1000 - e.timestamp * 1000;
      if (e.request.url.startsWith("data:") || byId.has(e.requestId)) return;
      const record = { id: e.requestId, url: e.request.url, type: e.type, t: e.timestamp, status: 0, cached: false, encoded: 0, done: false };
      byId.set(e.requestId, record);
      this.requests.push(record);
    });
    cdp.on("Network.webSocketCreated", (e) => {
      this.requests.push({ id: e.requestId, url: e.url, type: "WebSocket", status: 101, cached: false, encoded: 0, done: true });
    });
    cdp.on("Network.requestServedFromCache", (e) => byId.has(e.requestId) && (byId.get(e.requestId).cached = true));
    cdp.on("Network.responseReceived", (e) => {
      const record = byId.get(e.requestId);
      if (!record) return;
      record.status = e.response.status;
      record.cached ||= Boolean(e.response.fromDiskCache || e.response.fromPrefetchCache);
    });
    cdp.on("Network.loadingFinished", (e) => {
      const record = byId.get(e.requestId);
      if (record) Object.assign(record, { encoded: e.encodedDataLength, done: true, endWall: e.timestamp * 1000 + this.wallOffset });
    });
    cdp.on("Network.loadingFailed", (e) => {
      const record = byId.get(e.requestId);
      if (record) Object.assign(record, { failed: e.errorText, done: true });
    });
  }

  /** A mark: requests after it are `since(mark)`. */
  mark() {
    return this.requests.length;
  }

  since(mark = 0) {
    return this.requests.slice(mark);
  }

  /** Waits (at most `ms`) until every request since `mark` has finished or failed. */
  async settled(mark, ms = 5000) {
    const end = Date.now() + ms;
    while (Date.now() < end && this.since(mark).some((r) => !r.done)) await new Promise((r) => setTimeout(r, 20));
  }

  /** The response body of a finished request, or null when Chromium no longer holds it. */
  async body(record) {
    try {
      const { body, base64Encoded } = await this.cdp.send("Network.getResponseBody", { requestId: record.id });
      return Buffer.from(body, base64Encoded ? "base64" : "utf8");
    } catch {
      return null;
    }
  }
}

const compressed = new Map();
/** { raw, gzip, brotli } sizes of `body`: gzip level 9 and brotli quality 11, as a CDN's precompressed assets. Memoised by content. */
export function compressedSizes(body) {
  const key = createHash("sha256").update(body).digest("hex");
  if (!compressed.has(key)) {
    compressed.set(key, {
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }).length,
    });
  }
  return compressed.get(key);
}

/**
 * Bytes of the requests `records`: `wire` (encoded, with headers, as
 * loopback carried them), and the bodies' raw, gzip and brotli sizes summed
 * per resource (bodies answered by the cache count 0). Requests counts only
 * those that went to the network.
 */
export async function tally(net, records) {
  const out = { requests: 0, cached: 0, wire: 0, raw: 0, gzip: 0, brotli: 0, missingBodies: 0, urls: [] };
  for (const record of records) {
    if (record.cached) {
      out.cached++;
      continue;
    }
    out.requests++;
    out.wire += record.encoded;
    out.urls.push(`${record.status} ${record.url}`);
    if (record.status === 304 || record.type === "WebSocket" || record.failed) continue;
    const body = await net.body(record);
    if (!body) {
      out.missingBodies++;
      continue;
    }
    const sizes = compressedSizes(body);
    out.raw += sizes.raw;
    out.gzip += sizes.gzip;
    out.brotli += sizes.brotli;
  }
  return out;
}
