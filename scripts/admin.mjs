// Administers a Mend through its API with the admin token: one request per
// run, its status line to stderr and its JSON body, pretty, to stdout.
// Dependency-free so it runs anywhere Node 18+ does, including against a
// deployed worker. `node scripts/admin.mjs --help` says how.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

const HELP = `Sends one request to Mend's API with the admin token.

usage: node scripts/admin.mjs METHOD PATH [JSON]
       make admin ARGS="METHOD PATH ['JSON']"

  ADMIN_TOKEN  the admin token; when unset and MEND_URL is local, read from
               .dev.vars at the repo root (make dev writes it)
  MEND_URL     where Mend runs (default http://127.0.0.1:8787)

Every POST carries a fresh Idempotency-Key. The status line goes to stderr,
the body to stdout; the exit status is 1 when the status is not 2xx.

examples:
  node scripts/admin.mjs POST /v1/workspaces '{"id":"globex","name":"Globex","apology":"We are sorry we let you down. We will keep you posted here until you tell us it is solved."}'
  node scripts/admin.mjs PATCH /v1/workspaces/globex '{"origins":["https://shop.globex.example"]}'
  node scripts/admin.mjs POST /v1/workspaces/globex/keys '{"role":"rep","label":"Sam"}'
  node scripts/admin.mjs POST /v1/workspaces/globex/identity-keys '{}'
  node scripts/admin.mjs GET /v1/workspaces/globex/keys
`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(HELP);
  process.exit(0);
}
const [method, path, body] = [args[0]?.toUpperCase(), args[1], args[2]];
if (args.length < 2 || args.length > 3 || !path.startsWith("/")) fail(2, "usage: node scripts/admin.mjs METHOD PATH [JSON]  (--help for more)");
if (body !== undefined) {
  try {
    JSON.parse(body);
  } catch (err) {
    fail(2, `The body is not valid JSON: ${err.message}`);
  }
}
if (typeof fetch !== "function") fail(2, "admin.mjs needs Node 18 or newer (make setup installs Node 22 into node_modules/.bin).");

const base = (process.env.MEND_URL || "http://127.0.0.1:8787").replace(/\/+$/, "");
const local = ["127.0.0.1", "localhost", "[::1]"].includes(new URL(base).hostname);
// The local token stays local: a deployed Mend gets only a token set on purpose.
const token = process.env.ADMIN_TOKEN || (local ? devVarsToken() : undefined);
if (!token) console.error(`No ADMIN_TOKEN${local ? " in the environment or .dev.vars" : " in the environment"}: sending the request without one.`);

const headers = {};
if (token) headers.Authorization = `Bearer ${token}`;
if (body !== undefined) headers["Content-Type"] = "application/json";
if (method === "POST") headers["Idempotency-Key"] = randomUUID();

let response;
try {
  response = await fetch(base + path, { method, headers, body });
} catch (err) {
  fail(1, `${method} ${base}${path} failed: ${err.cause?.message ?? err.message}`);
}
console.error(`${response.status} ${response.statusText}`);
const text = await response.text();
if (text) {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON (an HTML page, say): print it as it came.
  }
  console.log(pretty);
}
process.exit(response.ok ? 0 : 1);

/** ADMIN_TOKEN from the dotenv file `.dev.vars` at the repo root, if any. */
function devVarsToken() {
  let vars;
  try {
    vars = readFileSync(new URL("../.dev.vars", import.meta.url), "utf8");
  } catch {
    return undefined;
  }
  const line = vars.split(/\r?\n/).findLast((l) => /^\s*(export\s+)?ADMIN_TOKEN\s*=/.test(l));
  return line?.replace(/^[^=]*=\s*/, "").trim().replace(/^(["'])(.*)\1$/, "$2") || undefined;
}

function fail(code, message) {
  console.error(message);
  process.exit(code);
}
