// Seeds the demo workspace "Acme Furniture" with a demo rep key and a demo
// manager key into a local D1 state directory, idempotently, and prints
// `REP_KEY=…` and `MANAGER_KEY=…`. The keys are kept in the state directory
// so every run over the same state prints the same keys.
//
//   node scripts/seed.mjs --persist-to .wrangler/state [--origin http://host:port …]
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";

const args = process.argv.slice(2);
const persistTo = args[args.indexOf("--persist-to") + 1];
if (!args.includes("--persist-to") || !persistTo) {
  console.error("usage: seed.mjs --persist-to DIR [--origin ORIGIN …]");
  process.exit(2);
}
const origins = ["http://127.0.0.1:8787", "http://localhost:8787"];
args.forEach((arg, i) => arg === "--origin" && origins.push(args[i + 1]));

mkdirSync(persistTo, { recursive: true });
/** The key kept in `file` under the state directory, made on first use. */
function demoKey(file) {
  const path = join(persistTo, file);
  if (!existsSync(path)) writeFileSync(path, "mend_rk_" + randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(path, "utf8").trim();
}
const hash = (key) => createHash("sha256").update(key).digest("hex");
const repKey = demoKey("demo-rep-key");
const managerKey = demoKey("demo-manager-key");

const quote = (text) => "'" + String(text).replaceAll("'", "''") + "'";
const now = new Date().toISOString();
const apology =
  "We're truly sorry. You ordered a complete living room and we let you down. " +
  "We're on it now, and we'll keep you posted here until you tell us it's solved.";
const sql = `
INSERT OR IGNORE INTO workspaces (id, name, apology, created_at)
  VALUES ('acme', 'Acme Furniture', ${quote(apology)}, ${quote(now)});
INSERT OR IGNORE INTO workspace_origins (workspace_id, origin)
  VALUES ${origins.map((origin) => `('acme', ${quote(origin)})`).join(", ")};
INSERT OR IGNORE INTO rep_keys (key_hash, workspace_id, role, label, created_at)
  VALUES (${quote(hash(repKey))}, 'acme', 'rep', 'Demo rep', ${quote(now)}),
         (${quote(hash(managerKey))}, 'acme', 'manager', 'Demo manager', ${quote(now)});
`;
const file = join(tmpdir(), `mend-seed-${process.pid}.sql`);
writeFileSync(file, sql);
try {
  execFileSync("wrangler", ["d1", "execute", "mend", "--local", "--persist-to", persistTo, "--file", file], {
    stdio: ["ignore", "ignore", "inherit"],
  });
} finally {
  rmSync(file, { force: true });
}
console.log(`REP_KEY=${repKey}\nMANAGER_KEY=${managerKey}`);
