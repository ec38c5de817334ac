// Figure 6, the worker's weight: the bundle `wrangler deploy` would upload
// (its own dry-run total, and the wasm measured here raw, gzip and brotli)
// and its cold start in `wrangler dev` (spawn to the first 200 on
// /v1/health, measured by lib/worker.mjs). And, for a widget over its byte
// target, where the bytes go: a size breakdown of the widget's wasm.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compressedSizes } from "../lib/browser.mjs";
import { row } from "../lib/figure.mjs";
import { breakdown, parseWasm } from "../lib/wasm-sizes.mjs";
import { root, snapshotCargoWasm, snapshotDir } from "../lib/worker.mjs";

const WASM_FEATURES = ["bulk-memory", "sign-ext", "nontrapping-float-to-int", "reference-types", "multivalue", "mutable-globals"].map((f) => `--enable-${f}`);

/** Sizes of the built worker, and wrangler's own dry-run upload total. */
export function measureWorkerWeight() {
  const wasm = readFileSync(join(snapshotDir, "worker/build/index_bg.wasm"));
  const js = readFileSync(join(snapshotDir, "worker/build/index.js"));
  const sections = parseWasm(wasm).sections;
  const nameSection = sections.find((s) => s.name === 'custom "name"')?.size ?? 0;
  const out = join(root, "target/bench/deploy");
  rmSync(out, { recursive: true, force: true });
  let upload = null;
  try {
    const text = execFileSync("wrangler", ["deploy", "--dry-run", "--outdir", out], {
      cwd: snapshotDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      timeout: 60_000,
    });
    const match = text.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
    if (match) upload = { rawKiB: Number(match[1]), gzipKiB: Number(match[2]) };
  } catch (error) {
    upload = { error: error.message.split("\n")[0] };
  }
  return { wasm: compressedSizes(wasm), js: compressedSizes(js), nameSection, upload };
}

export function weightRows(weight, coldStarts) {
  const one = (value) => ({ n: 1, median: value, p95: null, p99: null });
  const rows = [];
  if (weight.upload?.rawKiB) {
    rows.push(row("deploy bundle, raw (wrangler dry-run total)", "bytes", one(weight.upload.rawKiB * 1024)));
    rows.push(row("deploy bundle, gzip (wrangler dry-run total)", "bytes", one(weight.upload.gzipKiB * 1024)));
  }
  rows.push(
    row("worker wasm, raw", "bytes", one(weight.wasm.raw), {
      note: weight.nameSection ? `includes a ${(weight.nameSection / 1000).toFixed(0)} KB name section (symbol names)` : undefined,
    }),
  );
  rows.push(row("worker wasm, gzip -9", "bytes", one(weight.wasm.gzip)));
  rows.push(row("worker wasm, brotli q11", "bytes", one(weight.wasm.brotli)));
  rows.push(row("worker JS glue, raw / gzip", "bytes", one(weight.js.raw), { note: `gzip ${weight.js.gzip} B` }));
  rows.push(row("cold start: spawn wrangler dev → first 200 /v1/health", "ms", coldStarts));
  return rows;
}

/**
 * The widget's wasm, broken down: every file the build put in public/app
 * (raw and brotli), the shipped first-open module's sections, and its
 * largest functions and code per crate. For the names, the snapshot's cargo
 * output goes through the build's own steps again (wasm-split when the build
 * uses it, wasm-bindgen, `wasm-opt -Oz --converge`) with `--keep-debug` and `-g`, so the
 * function names survive; the code section then matches the shipped one
 * byte for byte, which the result notes when it does not.
 */
export function widgetBreakdown() {
  const appDir = join(snapshotDir, "public/app");
  const files = readdirSync(appDir)
    .filter((f) => /\.(wasm|js)$/.test(f))
    .map((f) => ({ file: f, ...compressedSizes(readFileSync(join(appDir, f))) }))
    .sort((a, b) => b.raw - a.raw);
  const shipped = readFileSync(join(appDir, "mend_app_bg.wasm"));
  const bindgen = process.env.WASM_BINDGEN_BIN;
  const split = process.env.WASM_SPLIT_BIN;
  if (!existsSync(snapshotCargoWasm) || !bindgen || !existsSync(bindgen)) {
    return { files, ...breakdown(shipped, shipped), note: "function names unavailable (no cargo output or wasm-bindgen): sections only" };
  }
  const dir = join(root, "target/bench/widget-named");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let input = snapshotCargoWasm;
  const bindgenArgs = ["--target", "web", "--no-typescript", "--keep-debug", "--out-name", "mend_app", "--out-dir", dir];
  if (split && existsSync(split) && files.some((f) => f.file.startsWith("split_"))) {
    execFileSync(split, ["--target", "web", "--out-name", "mend_app", snapshotCargoWasm, dir], { stdio: "ignore", timeout: 60_000 });
    input = join(dir, "mend_app.wasm");
    bindgenArgs.push("--keep-lld-exports");
  }
  execFileSync(bindgen, [...bindgenArgs, input], { stdio: "ignore", timeout: 60_000 });
  const named = join(dir, "mend_app_bg.wasm");
  execFileSync(join(root, "node_modules/.bin/wasm-opt"), ["-Oz", "--converge", "-g", ...WASM_FEATURES, named, "-o", named], { stdio: "ignore", timeout: 60_000 });
  const result = { files, ...breakdown(readFileSync(named), shipped) };
  const code = (bytes) => parseWasm(bytes).sections.find((s) => s.name === "code")?.size ?? 0;
  const [shippedCode, namedCode] = [code(shipped), code(readFileSync(named))];
  if (shippedCode !== namedCode) {
    result.note = `the named rebuild's code (${namedCode} B) is not the shipped code (${shippedCode} B): the names are indicative only`;
  }
  return result;
}
