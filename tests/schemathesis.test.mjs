// Schemathesis (PyPI, pinned in tests/schemathesis/requirements.txt) holds
// the real built worker to its OpenAPI document: as each kind of caller
// Mend knows, it sends requests made from the document — valid ones, which
// must be taken, and invalid ones, which must be refused — and checks every
// answer's status, headers and body against what the document promises,
// then chains calls the way a client would (its stateful phase). Where a
// finding is deliberate, tests/schemathesis/schemathesis.toml excludes
// exactly that check for exactly that operation and says why.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMend } from "./support/mend.mjs";

const root = new URL("..", import.meta.url).pathname;
const config = join(root, "tests/schemathesis/schemathesis.toml");
/** Cases per operation and phase: enough to find a contract's gaps, few enough for `make test`. */
const EXAMPLES = 25;

let mend;
let seeded;
let reports;

/** `body` sent to `path` with `credential`; fails the test unless Mend answers `status`. */
async function call(method, path, credential, body, status) {
  const headers = { Authorization: `Bearer ${credential}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const answer = await fetch(mend.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(answer.status, status, await answer.clone().text());
  return answer.json();
}

before(async () => {
  assert.ok(process.env.SCHEMATHESIS_BIN, "run through `make test`, which installs Schemathesis and names it in SCHEMATHESIS_BIN");
  mend = await startMend();
  reports = mkdtempSync(join(tmpdir(), "mend-schemathesis-"));
  // A real ticket for the ticket routes, and a spare key and identity key
  // for the DELETE routes to take away without locking the run out.
  const response = await fetch(`${mend.url}/v1/reports`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ workspace: "acme", what_happened: "The armchair was not in the delivery.", order_id: "1042" }),
  });
  assert.equal(response.status, 201);
  const receipt = await response.json();
  const spareKey = await call("POST", "/v1/workspaces/acme/keys", mend.managerKey, { role: "rep", label: "Spare" }, 201);
  const spareIdentityKey = await call("POST", "/v1/workspaces/acme/identity-keys", mend.managerKey, undefined, 201);
  // A webhook endpoint with a delivery for the webhook routes, at a public
  // address this Mend never reaches (its attempts fail and wait for their
  // retry), and one each for PATCH and DELETE to change and take away.
  const hooks = "/v1/workspaces/acme/webhooks";
  const endpoint = (url) => call("POST", hooks, mend.managerKey, { url }, 201).then((created) => created.endpoint.id);
  const webhookEndpoint = await endpoint("https://hooks.example.com/mend");
  const delivery = await call("POST", `${hooks}/${webhookEndpoint}/test`, mend.managerKey, undefined, 202);
  seeded = {
    ticket: receipt.ticket.id,
    customerToken: receipt.customer_token,
    key: spareKey.id,
    kid: spareIdentityKey.kid,
    webhookEndpoint,
    delivery: delivery.id,
    changedEndpoint: await endpoint("https://hooks.example.com/changed"),
    spareEndpoint: await endpoint("https://hooks.example.com/spare"),
  };
});

after(async () => {
  await mend?.stop();
  if (reports) rmSync(reports, { recursive: true, force: true });
});

/** Runs Schemathesis with `args`; resolves to its exit code and everything it printed. */
function schemathesis(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.SCHEMATHESIS_BIN, args, { cwd: reports, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

const roles = {
  anonymous: () => undefined,
  customer: () => seeded.customerToken,
  rep: () => mend.repKey,
  manager: () => mend.managerKey,
  admin: () => mend.adminToken,
};

for (const [role, credential] of Object.entries(roles)) {
  test(`every answer to the ${role} is what the OpenAPI document says`, { timeout: 10 * 60_000 }, async () => {
    const token = credential();
    const junit = join(reports, `${role}.xml`);
    const env = {
      ...process.env,
      NO_COLOR: "1",
      SCHEMATHESIS_HOOKS: join(root, "tests/schemathesis/hooks.py"),
      MEND_WORKSPACE: "acme",
      MEND_TICKET: seeded.ticket,
      MEND_SPARE_KEY: seeded.key,
      MEND_SPARE_IDENTITY_KEY: seeded.kid,
      MEND_ENDPOINT: seeded.webhookEndpoint,
      MEND_DELIVERY: seeded.delivery,
      MEND_CHANGED_ENDPOINT: seeded.changedEndpoint,
      MEND_SPARE_ENDPOINT: seeded.spareEndpoint,
    };
    const args = [
      "--config-file", config,
      "run", `${mend.url}/v1/openapi.json`,
      "--max-examples", String(EXAMPLES),
      "--workers", "1",
      "--report", "junit", "--report-junit-path", junit,
      ...(token ? ["--header", `Authorization: Bearer ${token}`] : []),
    ];
    const { code, output } = await schemathesis(args, env);
    assert.equal(code, 0, `Schemathesis found answers that break the document, as the ${role}:\n${output}`);
    // It ran: every operation in the document was tested, none skipped for want of data.
    const suite = readFileSync(junit, "utf8");
    const tests = Number(suite.match(/<testsuite [^>]*tests="(\d+)"/)[1]);
    assert.ok(tests >= 20, `only ${tests} operations were tested:\n${output}`);
  });
}
