// axe-core in a page or frame of real Chromium, against every WCAG 2.x A
// and AA rule.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** What axe finds in `target` (a Playwright page or frame): one line per rule broken, with where. */
export async function violations(target) {
  await target.evaluate(source);
  const result = await target.evaluate((runOnly) => globalThis.axe.run(document, { runOnly }), WCAG);
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Fails the test, naming `what` and each rule broken, unless axe finds nothing in `target`. */
export async function assertAccessible(target, what) {
  const found = await violations(target);
  assert.deepEqual(found, [], `${what}: ${found.join("\n")}`);
}
