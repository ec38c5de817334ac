// The local sites a side-by-side run needs, all on loopback:
// - the company's host page, one plain order page served three ways:
//   `/bare` (no widget), `/mend` (Mend's loader), `/sentry` (the peer);
// - the peer's "CDN" and ingest: the bundled Sentry feedback widget, and a
//   recording receiver for the envelopes its DSN points at.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { onStop } from "./run-guard.mjs";
import { root } from "./worker.mjs";

/** The same plain order page for every variant; only the widget's script tag differs. */
export function hostPage(widgetTag) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Order #1042 — Acme Furniture</title><link rel="icon" href="data:,"></head>
<body>
<h1>Order #1042 — sofa, armchair, coffee table</h1>
<p>Delivered on Saturday. Questions about your order? We're here to help.</p>
<ul><li>Sofa, three seats, oat linen</li><li>Armchair, oat linen</li><li>Coffee table, oak</li></ul>
${widgetTag}
</body></html>`;
}

/**
 * Bundles bench/peer/entry.js with the esbuild in node_modules into
 * target/bench/peer/sentry-feedback.js (minified, tracing and debug code
 * dropped as Sentry documents) and returns its path.
 */
export function bundlePeer() {
  const outDir = join(root, "target/bench/peer");
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, "sentry-feedback.js");
  execFileSync(
    join(root, "node_modules/.bin/esbuild"),
    [
      "bench/peer/entry.js",
      "--bundle",
      "--minify",
      "--format=iife",
      "--target=es2020",
      "--platform=browser",
      "--define:__SENTRY_TRACING__=false",
      "--define:__SENTRY_DEBUG__=false",
      "--log-level=warning",
      `--outfile=${out}`,
    ],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"], timeout: 60_000 },
  );
  return out;
}

/** Listens on a free loopback port; the server is closed when the run stops. Resolves to its origin. */
function listen(server) {
  onStop(() => new Promise((done) => (server.closeAllConnections(), server.close(done))));
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

/** Starts the host page server on a port it picks, before Mend's URL is known; `setMend(url)` fills it in. */
export async function startHost() {
  let mendUrl;
  let peerUrl;
  let dsn;
  const pages = {
    "/bare": () => hostPage(""),
    "/mend": () => hostPage(`<script src="${mendUrl}/widget.js" data-workspace="acme" data-order-id="1042" async></script>`),
    "/sentry": () => hostPage(`<script src="${peerUrl}/sentry-feedback.js" data-dsn="${dsn}" async></script>`),
  };
  const server = createServer((req, res) => {
    const page = pages[new URL(req.url, "http://x").pathname];
    if (!page) return res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(page());
  });
  const url = await listen(server);
  return {
    url,
    setMend: (u) => (mendUrl = u),
    setPeer: (peer) => ((peerUrl = peer.url), (dsn = peer.dsn)),
  };
}

/**
 * Serves the peer bundle at /sentry-feedback.js (cached like Mend's loader:
 * `max-age=300`) and records what the peer's DSN receives: every envelope
 * POSTed to /api/1/envelope/, answered 200 as Sentry's ingest does, with
 * the CORS header a browser needs. `feedbacks()` counts feedback items.
 */
export async function startPeer(bundlePath) {
  const bundle = readFileSync(bundlePath);
  const envelopes = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const cors = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*", "Access-Control-Allow-Methods": "POST, OPTIONS" };
    if (req.method === "GET" && path === "/sentry-feedback.js") {
      res.writeHead(200, { "Content-Type": "text/javascript", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" });
      return res.end(bundle);
    }
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if (req.method === "POST" && path === "/api/1/envelope/") {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        envelopes.push(Buffer.concat(chunks).toString("utf8"));
        res.writeHead(200, { ...cors, "Content-Type": "application/json" });
        res.end('{"id":"0"}');
      });
      return;
    }
    res.writeHead(404, cors).end();
  });
  const url = await listen(server);
  const port = new URL(url).port;
  return {
    url,
    dsn: `http://public@127.0.0.1:${port}/1`,
    feedbacks: () => envelopes.filter((e) => e.split("\n").some((line) => line.includes('"type":"feedback"'))).length,
    envelopes: () => envelopes.length,
  };
}
