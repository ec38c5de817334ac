// The OpenAPI document (worker/src/openapi.json) is Mend API v1's contract.
// These tests hold the worker to it: the worker serves the document as it is
// on disk; every schema in it compiles; every operation it lists is called
// for real, on its success path and on its documented errors; and every
// answer's status is one the document lists for that operation, with a body
// (and headers) valid against what the document says for that status.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { isDeepStrictEqual } from "node:util";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { inMinutes, startMend, until } from "./support/mend.mjs";
import { signIdentity } from "./support/jwt.mjs";

const documentText = readFileSync(new URL("../worker/src/openapi.json", import.meta.url), "utf8");
const openapi = JSON.parse(documentText);

// ---------------------------------------------------------------------------
// The document, indexed and compiled

const DOC = "openapi.json";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** operationId → { method, path, operation }, in document order. */
const operations = new Map();
for (const [path, item] of Object.entries(openapi.paths)) {
  for (const method of METHODS) {
    if (item[method]) operations.set(item[method].operationId, { method, path, operation: item[method] });
  }
}

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
// OpenAPI's own keyword: Ajv's `discriminator` option refuses `mapping`, and
// each `oneOf` branch pins its `type` with `const` anyway, so it is an annotation here.
ajv.addKeyword({ keyword: "discriminator", schemaType: "object" });
// The document's top-level keys, so its schemas can be compiled in place and
// resolve `#/components/…` against the document itself.
for (const keyword of ["openapi", "info", "servers", "tags", "paths", "webhooks", "components"]) ajv.addKeyword(keyword);
ajv.addSchema(openapi, DOC);

const escapePointer = (key) => key.replaceAll("~", "~0").replaceAll("/", "~1");

/** The object at `pointer` in the document, following a local `$ref`, and the pointer it was found at. */
function resolve(pointer) {
  let value = openapi;
  for (const part of pointer.split("/").slice(1)) value = value?.[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  assert.ok(value !== undefined, `the document has nothing at ${pointer}`);
  return value.$ref ? resolve(value.$ref.slice(1)) : { value, pointer };
}

/** The compiled validator of the schema at `pointer` in the document. */
function validator(pointer) {
  const validate = ajv.getSchema(`${DOC}#${pointer}`);
  assert.equal(typeof validate, "function", `no schema at ${pointer}`);
  return validate;
}

function assertValid(pointer, value, what) {
  const validate = validator(pointer);
  assert.ok(validate(value), `${what} breaks ${pointer}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
}

/** The statuses the document lists for an operation. */
const statusesOf = (operationId) => Object.keys(operations.get(operationId).operation.responses).map(Number);

/** The one success status (1xx or 2xx) the document gives an operation. */
function successStatusOf(operationId) {
  const successes = statusesOf(operationId).filter((status) => status < 300);
  assert.equal(successes.length, 1, `${operationId} should document exactly one success status, not ${successes}`);
  return successes[0];
}

/**
 * Checks an answer against the document: its status is listed for this
 * operation, its body is valid against that status's schema (or empty when
 * none is documented), and its documented headers are there when required and
 * valid when present. Returns `{ status, headers, body }`.
 */
async function answer(operationId, response) {
  const { method, path } = operations.get(operationId);
  const status = response.status;
  const text = await response.text();
  assert.ok(
    statusesOf(operationId).includes(status),
    `${operationId} answered ${status}, which the document does not list for it (${statusesOf(operationId)}): ${text}`,
  );
  const documented = resolve(`/paths/${escapePointer(path)}/${method}/responses/${status}`);
  return checkAgainst(documented, response, text, `${operationId} ${status}`);
}

function checkAgainst({ value: documented, pointer }, response, text, what) {
  let body;
  if (documented.content?.["application/json"]) {
    assert.match(response.headers.get("content-type") ?? "", /^application\/json\b/, `${what}: Content-Type`);
    body = JSON.parse(text);
    assertValid(`${pointer}/content/application~1json/schema`, body, what);
  } else if (documented.content?.["text/html"]) {
    assert.match(response.headers.get("content-type") ?? "", /^text\/html\b/, `${what}: Content-Type`);
    assert.match(text, /^<!doctype html>/i, `${what} is an HTML page`);
    body = text;
  } else {
    assert.equal(text, "", `${what} has no documented body`);
  }
  for (const name of Object.keys(documented.headers ?? {})) {
    const header = resolve(`${pointer}/headers/${escapePointer(name)}`);
    const value = response.headers.get(name);
    if (value === null) {
      assert.ok(!header.value.required, `${what} lacks the documented ${name} header`);
      continue;
    }
    const typed = header.value.schema.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
    assertValid(`${header.pointer}/schema`, typed, `${what}'s ${name} header`);
  }
  return { status: response.status, headers: response.headers, body };
}

// ---------------------------------------------------------------------------
// Requests

let mend;
// Emails go out a moment after news, not two minutes: the unsubscribe rows need one.
before(async () => (mend = await startMend({ vars: { EMAIL_COALESCE_MS: "200" } })));
after(async () => mend?.stop());

const jsonType = { "Content-Type": "application/json" };
const bearer = (secret) => ({ Authorization: `Bearer ${secret}` });
const admin = () => bearer(mend.adminToken);
const rep = () => bearer(mend.repKey);
const manager = () => bearer(mend.managerKey);
const unique = (prefix) => `${prefix}-${randomBytes(4).toString("hex")}`;
const unknownTicket = "0".repeat(32);
const unknownKey = "mend_rk_" + "A".repeat(43);
const hooks = "/v1/workspaces/acme/webhooks";
const unknownEndpoint = "ep_0000000000000000";

/** Sends a request to `base` (the file's Mend unless given); `body` is sent as JSON, `raw` as is. */
function send(method, path, { body, raw, headers = {}, base = mend.url } = {}) {
  const hasBody = body !== undefined || raw !== undefined;
  return fetch(base + path, {
    method,
    headers: { ...(hasBody ? jsonType : {}), ...headers },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
}

/**
 * A WebSocket handshake by hand, so a refused upgrade's status and body can
 * be read (a browser's WebSocket only says it failed). Resolves to a
 * Response-like `{ status, headers, text() }`.
 */
function upgrade(path, protocols) {
  return new Promise((resolvePromise, reject) => {
    const headers = {
      Connection: "Upgrade",
      Upgrade: "websocket",
      "Sec-WebSocket-Version": "13",
      "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
    };
    if (protocols) headers["Sec-WebSocket-Protocol"] = protocols.join(", ");
    const request = httpRequest(mend.url + path, { headers });
    const responseLike = (message, text) => {
      const all = new Headers();
      for (const [name, value] of Object.entries(message.headers)) {
        for (const one of [value].flat()) all.append(name, one);
      }
      return { status: message.statusCode, headers: all, text: async () => text };
    };
    request.on("upgrade", (message, socket) => {
      socket.destroy();
      resolvePromise(responseLike(message, ""));
    });
    request.on("response", (message) => {
      let text = "";
      message.setEncoding("utf8");
      message.on("data", (chunk) => (text += chunk));
      message.on("end", () => resolvePromise(responseLike(message, text)));
    });
    request.on("error", reject);
    request.end();
  });
}

/** Rejects with `what` if `promise` has not settled within `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const armchair = { what_happened: "The armchair was not in the delivery.", order_id: "1042" };

/** A proactive report for a signed-in customer, with a first update. */
const found = (extra = {}) => ({
  customer_subject: unique("customer"),
  order_id: "1042",
  what_happened: "Your armchair left our warehouse without its cushions.",
  apology: "We're sorry: we sent it incomplete.",
  update: { text: "New cushions go out today.", next_update_by: inMinutes(120) },
  ...extra,
});

/** Files a report and returns the new ticket's id and customer token. */
async function report(body = { workspace: "acme", ...armchair }) {
  const created = await answer("createReport", await send("POST", "/v1/reports", { body }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { id: created.body.ticket.id, token: created.body.customer_token };
}

function newWorkspace(id = unique("globex")) {
  return send("POST", "/v1/workspaces", {
    headers: admin(),
    body: { id, name: "Globex Repairs", apology: "We're truly sorry: we let you down.", origins: ["https://shop.globex.example"] },
  });
}

/** A value made on first use and shared by the tests after. */
const once = (make) => {
  let made;
  return () => (made ??= make());
};

const fixtures = {
  /** A workspace the admin created for this file. */
  workspace: once(async () => {
    const id = unique("globex");
    assert.equal((await answer("createWorkspace", await newWorkspace(id))).status, 201);
    return id;
  }),
  /** A manager key of that workspace (so of another workspace than acme). */
  otherManager: once(async () => {
    const ws = await fixtures.workspace();
    const made = await answer(
      "createKey",
      await send("POST", `/v1/workspaces/${ws}/keys`, { headers: admin(), body: { role: "manager", label: "Globex lead" } }),
    );
    assert.equal(made.status, 201);
    return made.body.key;
  }),
  /** An identity key of that workspace, with its secret (shown once). */
  identityKey: once(async () => {
    const ws = await fixtures.workspace();
    const made = await answer("createIdentityKey", await send("POST", `/v1/workspaces/${ws}/identity-keys`, { headers: admin(), body: {} }));
    assert.equal(made.status, 201);
    return { ws, kid: made.body.kid, secret: made.body.secret };
  }),
  /** An acme ticket, reported anonymously. */
  ticket: once(() => report()),
  /** An acme ticket whose customer gave an email, emailed once: its unsubscribe token from the email. */
  emailed: once(async () => {
    const address = `${unique("cara")}@example.com`;
    const ticket = await report({ workspace: "acme", ...armchair, contact_email: address });
    const update = { type: "update", text: "Your armchair ships tomorrow.", next_update_by: inMinutes(120) };
    assert.equal((await send("POST", `/v1/tickets/${ticket.id}/commands`, { headers: rep(), body: update })).status, 200);
    await until(() => mend.mailbox.messages.some((m) => m.envelope.to === address), { attempts: 200, every: 50, what: "the email" });
    const email = mend.mailbox.messages.find((m) => m.envelope.to === address);
    return { ...ticket, unsubscribe: email.headers["list-unsubscribe"].match(/\/(mend_us_[^>]+)>$/)[1] };
  }),
  /**
   * An acme webhook endpoint at a public address. This Mend may not send to
   * loopback, so every attempt fails and waits for its retry: all these
   * tests need of it.
   */
  webhookEndpoint: once(() => registerEndpoint({ description: "CRM" })),
  /** An acme ticket a rep proposed a resolution on: a prevention note to publish. */
  proposed: once(async () => {
    const ticket = await report();
    const proposal = { type: "propose_resolution", summary: "A new armchair was delivered.", prevention: "Every armchair is checked before it ships." };
    assert.equal((await send("POST", `/v1/tickets/${ticket.id}/commands`, { headers: rep(), body: proposal })).status, 200);
    return ticket;
  }),
  /** A delivery to that endpoint: a test event. */
  webhookDelivery: once(async () => {
    const endpoint = await fixtures.webhookEndpoint();
    const sent = await answer("sendWebhookTest", await send("POST", `${hooks}/${endpoint.id}/test`, { headers: manager(), body: {} }));
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    return { endpoint: endpoint.id, delivery: sent.body.id };
  }),
};

/** Registers a new acme webhook endpoint as its manager; returns its view. */
async function registerEndpoint(settings = {}) {
  const made = await answer("createWebhookEndpoint", await send("POST", hooks, { headers: manager(), body: { url: "https://hooks.example.com/mend", ...settings } }));
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return made.body.endpoint;
}

/** A new acme endpoint its manager has disabled, so Mend sends it nothing: no test, no replay. */
async function disabledEndpoint() {
  const endpoint = await registerEndpoint({ description: "disabled" });
  const patched = await answer("updateWebhookEndpoint", await send("PATCH", `${hooks}/${endpoint.id}`, { headers: manager(), body: { enabled: false } }));
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  return patched.body;
}

/**
 * A POST answered while another with the same Idempotency-Key still runs
 * (409 `idempotency_in_progress`): the same request sent eight at once, with
 * a new key each round, until two overlap. Local D1 often takes them one
 * after another, so that a round in four or so overlaps; forty rounds all but
 * never miss.
 */
async function overlapping(path, body) {
  const [rounds, atOnce] = [40, 8];
  for (let round = 0; round < rounds; round++) {
    const headers = { ...manager(), "Idempotency-Key": unique("overlap") };
    const responses = await Promise.all(Array.from({ length: atOnce }, () => send("POST", path, { headers, body })));
    const refused = responses.find((response) => response.status === 409);
    await Promise.all(responses.filter((response) => response !== refused).map((response) => response.text()));
    if (refused) return refused;
  }
  assert.fail(`no two of ${rounds * atOnce} POSTs to ${path} with the same Idempotency-Key overlapped`);
}

/** An identity JWT for a customer of the fixture workspace, valid for an hour. */
async function identity(sub = "customer-7", { secret } = {}) {
  const key = await fixtures.identityKey();
  const claims = { aud: key.ws, sub, exp: Math.floor(Date.now() / 1000) + 3600 };
  return signIdentity(claims, { secret: secret ?? key.secret, kid: key.kid });
}

// ---------------------------------------------------------------------------
// Every operation's success path: operationId → a real request for it.

const successes = {
  async setEmails() {
    const { id, token } = await fixtures.emailed();
    return send("PUT", `/v1/tickets/${id}/emails`, { headers: bearer(token), body: { on: true } });
  },
  async unsubscribePage() {
    const { id, unsubscribe } = await fixtures.emailed();
    return send("GET", `/v1/unsubscribe/${id}/${unsubscribe}`);
  },
  async unsubscribe() {
    // A ticket of its own: turning its emails off must not touch another test's.
    const address = `${unique("dora")}@example.com`;
    const ticket = await report({ workspace: "acme", ...armchair, contact_email: address });
    const update = { type: "update", text: "Your armchair ships tomorrow.", next_update_by: inMinutes(120) };
    assert.equal((await send("POST", `/v1/tickets/${ticket.id}/commands`, { headers: rep(), body: update })).status, 200);
    await until(() => mend.mailbox.messages.some((m) => m.envelope.to === address), { attempts: 200, every: 50, what: "the email" });
    const link = mend.mailbox.messages.find((m) => m.envelope.to === address).headers["list-unsubscribe"].slice(1, -1);
    return fetch(link, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
  },
  getHealth: () => send("GET", "/v1/health"),
  getOpenApi: () => send("GET", "/v1/openapi.json"),
  createReport: () => send("POST", "/v1/reports", { body: { workspace: "acme", ...armchair } }),
  createProactiveReport: () => send("POST", "/v1/proactive-reports", { headers: rep(), body: found() }),
  async getTicket() {
    const { id, token } = await fixtures.ticket();
    return send("GET", `/v1/tickets/${id}`, { headers: bearer(token) });
  },
  async runCommand() {
    const { id } = await fixtures.ticket();
    return send("POST", `/v1/tickets/${id}/commands`, {
      headers: rep(),
      body: { type: "update", text: "Your armchair ships tomorrow.", next_update_by: inMinutes(120) },
    });
  },
  async listEvents() {
    const { id, token } = await fixtures.ticket();
    return send("GET", `/v1/tickets/${id}/events?since=0`, { headers: bearer(token) });
  },
  async openLive() {
    const { id, token } = await fixtures.ticket();
    const url = `${mend.url.replace("http", "ws")}/v1/tickets/${id}/live?since=0`;
    const socket = new WebSocket(url, ["mend.v1", `mend.auth.${token}`]);
    try {
      const failed = new Promise((_, reject) => socket.addEventListener("error", () => reject(new Error("WebSocket failed"))));
      const first = new Promise((resolveFirst) => socket.addEventListener("message", (m) => resolveFirst(JSON.parse(m.data)), { once: true }));
      await within(10_000, "the socket to open", Promise.race([new Promise((r) => socket.addEventListener("open", r)), failed]));
      const firstEvent = await within(10_000, "the first event", Promise.race([first, failed]));
      // It opened, so the handshake was a 101; only the protocol is visible from here.
      return { status: 101, headers: new Headers({ "sec-websocket-protocol": socket.protocol }), text: async () => "", firstEvent };
    } finally {
      socket.close();
    }
  },
  async listMyTickets() {
    const ws = await fixtures.workspace();
    const jwt = await identity("customer-list");
    const filed = await report({ workspace: ws, ...armchair, identity: jwt });
    const response = await send("GET", "/v1/customers/me/tickets", { headers: bearer(jwt) });
    response.expectTicket = filed.id;
    return response;
  },
  async getQueue() {
    await fixtures.ticket();
    return send("GET", "/v1/queue?filter=all", { headers: rep() });
  },
  getWidgetConfig: () => send("GET", "/v1/workspaces/acme/widget-config"),
  async openQueueLive() {
    const socket = new WebSocket(`${mend.url.replace("http", "ws")}/v1/queue/live`, ["mend.v1", `mend.auth.${mend.repKey}`]);
    try {
      const failed = new Promise((_, reject) => socket.addEventListener("error", () => reject(new Error("WebSocket failed"))));
      const first = new Promise((resolveFirst) => socket.addEventListener("message", (m) => resolveFirst(JSON.parse(m.data)), { once: true }));
      await within(10_000, "the queue socket to open", Promise.race([new Promise((r) => socket.addEventListener("open", r)), failed]));
      const filed = await report();
      const firstMessage = await within(10_000, "the first queue message", Promise.race([first, failed]));
      return { status: 101, headers: new Headers({ "sec-websocket-protocol": socket.protocol }), text: async () => "", firstMessage, filed };
    } finally {
      socket.close();
    }
  },
  getRecord: () => send("GET", "/v1/workspaces/acme/record?from=2026-01-01&to=2026-12-31", { headers: rep() }),
  // Acme has not published its record: its rep sees the preview.
  getScorecard: () => send("GET", "/r/acme", { headers: rep() }),
  getSession: () => send("GET", "/v1/session", { headers: manager() }),
  startSession: () => send("POST", "/v1/session", { headers: rep() }),
  async endSession() {
    const started = await answer("startSession", await send("POST", "/v1/session", { headers: manager() }));
    assert.equal(started.status, 200);
    const cookie = started.headers.get("set-cookie").split(";")[0];
    return send("DELETE", "/v1/session", { headers: { Cookie: cookie } });
  },
  createWorkspace: () => newWorkspace(),
  async getWorkspace() {
    return send("GET", `/v1/workspaces/${await fixtures.workspace()}`, { headers: admin() });
  },
  async updateWorkspace() {
    return send("PATCH", `/v1/workspaces/${await fixtures.workspace()}`, {
      headers: admin(),
      body: { colour: "#AA3300", origins: ["https://shop.globex.example", "https://Outlet.Globex.example"] },
    });
  },
  async listKeys() {
    await fixtures.otherManager();
    return send("GET", `/v1/workspaces/${await fixtures.workspace()}/keys`, { headers: admin() });
  },
  async createKey() {
    return send("POST", `/v1/workspaces/${await fixtures.workspace()}/keys`, { headers: admin(), body: { role: "rep", label: "Ana, support" } });
  },
  async revokeKey() {
    const ws = await fixtures.workspace();
    const made = await answer("createKey", await send("POST", `/v1/workspaces/${ws}/keys`, { headers: admin(), body: { role: "rep", label: "Temp" } }));
    assert.equal(made.status, 201);
    return send("DELETE", `/v1/workspaces/${ws}/keys/${made.body.id}`, { headers: admin() });
  },
  async listChanges() {
    return send("GET", "/v1/workspaces/acme/changes", { headers: rep() });
  },
  async publishChange() {
    const { id } = await fixtures.proposed();
    return send("POST", "/v1/workspaces/acme/changes", { headers: manager(), body: { ticket_id: id } });
  },
  async withdrawChange() {
    const { id } = await fixtures.proposed();
    const published = await answer("publishChange", await send("POST", "/v1/workspaces/acme/changes", { headers: manager(), body: { ticket_id: id } }));
    assert.equal(published.status, 201, JSON.stringify(published.body));
    return send("DELETE", `/v1/workspaces/acme/changes/${id}`, { headers: manager() });
  },
  async createIdentityKey() {
    return send("POST", `/v1/workspaces/${await fixtures.workspace()}/identity-keys`, { headers: admin(), body: {} });
  },
  async deleteIdentityKey() {
    const ws = await fixtures.workspace();
    const made = await answer("createIdentityKey", await send("POST", `/v1/workspaces/${ws}/identity-keys`, { headers: admin(), body: {} }));
    assert.equal(made.status, 201);
    return send("DELETE", `/v1/workspaces/${ws}/identity-keys/${encodeURIComponent(made.body.kid)}`, { headers: admin() });
  },
  async listWebhookEndpoints() {
    await fixtures.webhookEndpoint();
    return send("GET", hooks, { headers: manager() });
  },
  createWebhookEndpoint: () =>
    send("POST", hooks, {
      headers: { ...manager(), "Idempotency-Key": unique("endpoint") },
      body: { url: "https://hooks.example.com/solved", description: "Solved tickets", event_types: ["ticket.solved", "ticket.rated"] },
    }),
  getWebhookEndpoint: async () => send("GET", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: manager() }),
  // The admin manages any workspace's endpoints too.
  updateWebhookEndpoint: async () =>
    send("PATCH", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: admin(), body: { description: "CRM: every ticket event", event_types: null } }),
  async deleteWebhookEndpoint() {
    const endpoint = await registerEndpoint({ description: "to delete" });
    return send("DELETE", `${hooks}/${endpoint.id}`, { headers: manager() });
  },
  rotateWebhookSecret: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/secret`, { headers: manager(), body: { overlap_seconds: 3600 } }),
  // A body may be left out.
  sendWebhookTest: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/test`, { headers: manager() }),
  async listWebhookDeliveries() {
    const { endpoint, delivery } = await fixtures.webhookDelivery();
    const response = await send("GET", `${hooks}/${endpoint}/deliveries`, { headers: manager() });
    response.expectDelivery = delivery;
    return response;
  },
  async replayWebhookDelivery() {
    const { endpoint, delivery } = await fixtures.webhookDelivery();
    return send("POST", `${hooks}/${endpoint}/deliveries/${delivery}/replay`, { headers: manager(), body: {} });
  },
  replayFailedWebhooks: async () =>
    send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/replay`, { headers: manager(), body: { since: "2026-01-01T00:00:00+01:00" } }),
};

/** What a success must also show, beyond matching the document. */
const successChecks = {
  getOpenApi: (got) => assert.ok(isDeepStrictEqual(got.body, openapi), "the served document is not the one on disk"),
  createReport: (got) => assert.equal(got.body.ticket.events[0].type, "reported"),
  createProactiveReport: (got) => {
    assert.deepEqual(got.body.ticket.events.map((e) => [e.type, e.by]), [["reported", "rep"], ["updated", "rep"]]);
    assert.equal(got.body.ticket.status, "in_progress");
    assert.equal(got.body.customer_token, undefined, "the customer's link goes to the customer alone");
  },
  runCommand: (got) => assert.equal(got.body.events.at(-1).type, "updated"),
  listEvents: (got) => assert.equal(got.body.events[0].seq, 1),
  openLive: (got, response) => {
    assert.equal(response.headers.get("sec-websocket-protocol"), "mend.v1");
    assertValid("/components/schemas/Event", response.firstEvent, "the first live message");
    assert.deepEqual([response.firstEvent.seq, response.firstEvent.type], [1, "reported"]);
  },
  listMyTickets: (got, response) => assert.ok(got.body.tickets.some((t) => t.id === response.expectTicket), JSON.stringify(got.body)),
  getQueue: (got) => assert.ok(got.body.tickets.length > 0),
  getWidgetConfig: (got) => assert.equal(got.body.workspace, "acme"),
  openQueueLive: (got, response) => {
    assert.equal(response.headers.get("sec-websocket-protocol"), "mend.v1");
    assertValid("/components/schemas/QueueChanged", response.firstMessage, "the first queue message");
    assert.deepEqual(response.firstMessage, { type: "queue_changed", ticket_id: response.filed.id, seq: 1 });
  },
  getRecord: (got) => {
    assert.deepEqual([got.body.from, got.body.to, got.body.currency], ["2026-01-01", "2026-12-31", "USD"]);
    assert.equal(got.body.weeks.length, 53);
  },
  getScorecard: (got, response) => {
    assert.match(got.body, /<h1>How Acme Furniture recovers<\/h1>/);
    assert.match(got.body, /Not published\./);
    assert.match(response.headers.get("content-security-policy"), /frame-ancestors \*$/);
  },
  getSession: (got) => assert.deepEqual([got.body.workspace, got.body.role, got.body.label, got.body.company], ["acme", "manager", "Demo manager", "Acme Furniture"]),
  startSession: (got) => {
    assert.deepEqual([got.body.workspace, got.body.role, got.body.label], ["acme", "rep", "Demo rep"]);
    const cookie = got.headers.get("set-cookie");
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=43200"]) {
      assert.ok(cookie.split(";").map((a) => a.trim()).includes(attribute), `${attribute} in ${cookie}`);
    }
  },
  endSession: (got) => assert.match(got.headers.get("set-cookie"), /^mend_session=[^;]*;.*(Max-Age=0|Expires=)/i),
  updateWorkspace: (got) => {
    assert.equal(got.body.colour, "#aa3300");
    assert.deepEqual([...got.body.origins].sort(), ["https://outlet.globex.example", "https://shop.globex.example"]);
  },
  createKey: (got) => assert.deepEqual([got.body.role, got.body.label, got.body.revoked_at], ["rep", "Ana, support", null]),
  createWebhookEndpoint: (got) => {
    const { url, description, event_types, enabled, disabled_reason } = got.body.endpoint;
    assert.deepEqual(
      { url, description, event_types, enabled, disabled_reason },
      { url: "https://hooks.example.com/solved", description: "Solved tickets", event_types: ["ticket.solved", "ticket.rated"], enabled: true, disabled_reason: null },
    );
  },
  updateWebhookEndpoint: (got) => assert.deepEqual([got.body.description, got.body.event_types, got.body.enabled], ["CRM: every ticket event", null, true]),
  rotateWebhookSecret: (got) => {
    const overlap = Date.parse(got.body.previous_secret_expires_at) - Date.now();
    assert.ok(overlap > 3_500_000 && overlap <= 3_600_000, `the old secret signs for an hour more, not ${overlap} ms`);
  },
  sendWebhookTest: (got) =>
    assert.deepEqual([got.body.event_type, got.body.ticket_id, got.body.seq, got.body.status, got.body.attempts], ["webhook.test", null, null, "pending", []]),
  listWebhookDeliveries: (got, response) => assert.ok(got.body.deliveries.some((d) => d.id === response.expectDelivery), JSON.stringify(got.body)),
  replayWebhookDelivery: (got) => assert.equal(got.body.replayed, 1),
};

// ---------------------------------------------------------------------------
// Every operation's documented errors: operationId → cases.
// Each case makes a real request; the answer must have the status (and the
// `code` and `field`, where given) and match the document for that status.

const errors = {
  setEmails: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: async () => send("PUT", `/v1/tickets/${(await fixtures.emailed()).id}/emails`, { body: { on: false } }) },
    {
      name: "a rep: only the customer decides",
      status: 403,
      code: "forbidden",
      run: async () => send("PUT", `/v1/tickets/${(await fixtures.emailed()).id}/emails`, { headers: rep(), body: { on: false } }),
    },
    {
      name: "an unknown ticket",
      status: 404,
      code: "not_found",
      run: async () => send("PUT", `/v1/tickets/${unknownTicket}/emails`, { headers: bearer((await fixtures.emailed()).token), body: { on: false } }),
    },
    {
      name: "a report with no email address",
      status: 409,
      code: "invalid_transition",
      run: async () => {
        const { id, token } = await fixtures.ticket();
        return send("PUT", `/v1/tickets/${id}/emails`, { headers: bearer(token), body: { on: false } });
      },
    },
    {
      name: "on that is no boolean",
      status: 400,
      code: "malformed_json",
      run: async () => {
        const { id, token } = await fixtures.emailed();
        return send("PUT", `/v1/tickets/${id}/emails`, { headers: bearer(token), body: { on: "yes" } });
      },
    },
    {
      name: "a body that is too large",
      status: 413,
      code: "payload_too_large",
      run: async () => {
        const { id, token } = await fixtures.emailed();
        return send("PUT", `/v1/tickets/${id}/emails`, { headers: bearer(token), raw: JSON.stringify({ on: true, pad: "x".repeat(70_000) }) });
      },
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: async () => {
        const { id, token } = await fixtures.emailed();
        return send("PUT", `/v1/tickets/${id}/emails`, { headers: { ...bearer(token), "Content-Type": "text/plain" }, raw: "on" });
      },
    },
    {
      name: "another key",
      status: 422,
      code: "validation",
      field: "off",
      run: async () => {
        const { id, token } = await fixtures.emailed();
        return send("PUT", `/v1/tickets/${id}/emails`, { headers: bearer(token), body: { on: true, off: false } });
      },
    },
  ],
  unsubscribePage: [],
  unsubscribe: [
    {
      name: "a token that is not the ticket's",
      status: 404,
      code: "not_found",
      run: async () => send("POST", `/v1/unsubscribe/${(await fixtures.emailed()).id}/mend_us_${"A".repeat(43)}`),
    },
    { name: "no such ticket", status: 404, code: "not_found", run: () => send("POST", `/v1/unsubscribe/${unknownTicket}/x`) },
  ],
  getHealth: [],
  getOpenApi: [],
  createReport: [
    { name: "malformed JSON", status: 400, code: "malformed_json", run: () => send("POST", "/v1/reports", { raw: "{not json" }) },
    {
      name: "an identity JWT that does not hold",
      status: 401,
      code: "invalid_identity",
      run: () => send("POST", "/v1/reports", { body: { workspace: "acme", ...armchair, identity: "not.a.jwt" } }),
    },
    {
      name: "a browser origin acme does not allow",
      status: 403,
      code: "origin_not_allowed",
      run: () => send("POST", "/v1/reports", { headers: { Origin: "https://evil.example" }, body: { workspace: "acme", ...armchair } }),
    },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      run: () => send("POST", "/v1/reports", { body: { workspace: "acme", what_happened: "x".repeat(70_000) } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: () => send("POST", "/v1/reports", { raw: "hi", headers: { "Content-Type": "text/plain" } }),
    },
    {
      name: "a blank what_happened",
      status: 422,
      code: "validation",
      field: "what_happened",
      run: () => send("POST", "/v1/reports", { body: { workspace: "acme", what_happened: "   " } }),
    },
    {
      name: "an Idempotency-Key reused with another body",
      status: 422,
      code: "idempotency_key_reused",
      async run() {
        const headers = { "Idempotency-Key": unique("report") };
        const first = await answer("createReport", await send("POST", "/v1/reports", { headers, body: { workspace: "acme", ...armchair } }));
        assert.equal(first.status, 201);
        return send("POST", "/v1/reports", { headers, body: { workspace: "acme", what_happened: "Something else." } });
      },
    },
  ],
  createProactiveReport: [
    {
      name: "malformed JSON",
      status: 400,
      code: "malformed_json",
      run: () => send("POST", "/v1/proactive-reports", { headers: rep(), raw: "{not json" }),
    },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", "/v1/proactive-reports", { body: found() }) },
    {
      name: "a customer token",
      status: 401,
      code: "unauthenticated",
      run: async () => send("POST", "/v1/proactive-reports", { headers: bearer((await fixtures.ticket()).token), body: found() }),
    },
    {
      name: "a rep's make-good above the cap",
      status: 403,
      code: "needs_manager",
      run: () =>
        send("POST", "/v1/proactive-reports", {
          headers: rep(),
          body: found({ make_good: { kind: "refund", value: { currency: "USD", minor_units: 9_999_900 } } }),
        }),
    },
    {
      name: "the same Idempotency-Key while the first request runs",
      status: 409,
      code: "idempotency_in_progress",
      run: () => overlapping("/v1/proactive-reports", found()),
    },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      run: () => send("POST", "/v1/proactive-reports", { headers: rep(), body: found({ what_happened: "x".repeat(70_000) }) }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: () => send("POST", "/v1/proactive-reports", { headers: { ...rep(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    {
      name: "a customer Mend cannot reach",
      status: 422,
      code: "validation",
      field: "customer",
      run: () => send("POST", "/v1/proactive-reports", { headers: rep(), body: found({ customer_subject: null }) }),
    },
    {
      name: "an Idempotency-Key reused with another body",
      status: 422,
      code: "idempotency_key_reused",
      async run() {
        const headers = { ...rep(), "Idempotency-Key": unique("found") };
        const body = found();
        assert.equal((await answer("createProactiveReport", await send("POST", "/v1/proactive-reports", { headers, body }))).status, 201);
        return send("POST", "/v1/proactive-reports", { headers, body: { ...body, what_happened: "Something else." } });
      },
    },
  ],
  getTicket: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: async () => send("GET", `/v1/tickets/${(await fixtures.ticket()).id}`) },
    {
      // The admin token runs workspaces, never tickets: it is refused by what it is.
      name: "the admin token",
      status: 401,
      code: "unauthenticated",
      run: async () => send("GET", `/v1/tickets/${(await fixtures.ticket()).id}`, { headers: admin() }),
    },
    {
      name: "an unknown ticket",
      status: 404,
      code: "not_found",
      run: async () => send("GET", `/v1/tickets/${unknownTicket}`, { headers: bearer((await fixtures.ticket()).token) }),
    },
  ],
  runCommand: [
    {
      name: "malformed JSON",
      status: 400,
      code: "malformed_json",
      run: async () => send("POST", `/v1/tickets/${(await fixtures.ticket()).id}/commands`, { headers: rep(), raw: "{not json" }),
    },
    {
      name: "a type that is no command",
      status: 400,
      code: "malformed_json",
      run: async () => send("POST", `/v1/tickets/${(await fixtures.ticket()).id}/commands`, { headers: rep(), body: { type: "close" } }),
    },
    {
      name: "no credentials",
      status: 401,
      code: "unauthenticated",
      run: async () => send("POST", `/v1/tickets/${(await fixtures.ticket()).id}/commands`, { body: { type: "withdraw" } }),
    },
    {
      name: "a rep's confirm_solved",
      status: 403,
      code: "forbidden",
      run: async () => send("POST", `/v1/tickets/${(await fixtures.ticket()).id}/commands`, { headers: rep(), body: { type: "confirm_solved" } }),
    },
    {
      name: "a rep's make-good above the workspace's cap",
      status: 403,
      code: "needs_manager",
      run: async () =>
        send("POST", `/v1/tickets/${(await fixtures.ticket()).id}/commands`, {
          headers: rep(),
          body: { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 1_000_000 } },
        }),
    },
    {
      name: "an unknown ticket",
      status: 404,
      code: "not_found",
      run: () => send("POST", `/v1/tickets/${unknownTicket}/commands`, { headers: rep(), body: { type: "message", text: "Hello" } }),
    },
    {
      name: "confirming with nothing proposed",
      status: 409,
      code: "invalid_transition",
      async run() {
        const { id, token } = await report();
        return send("POST", `/v1/tickets/${id}/commands`, { headers: bearer(token), body: { type: "confirm_solved" } });
      },
    },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      run: async () =>
        send("POST", `/v1/tickets/${(await fixtures.ticket()).id}/commands`, { headers: rep(), body: { type: "message", text: "x".repeat(70_000) } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: async () =>
        send("POST", `/v1/tickets/${(await fixtures.ticket()).id}/commands`, { headers: { ...rep(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    {
      name: "a score out of range",
      status: 422,
      code: "validation",
      field: "score",
      async run() {
        const { id, token } = await fixtures.ticket();
        return send("POST", `/v1/tickets/${id}/commands`, { headers: bearer(token), body: { type: "rate", score: 9 } });
      },
    },
  ],
  listEvents: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: async () => send("GET", `/v1/tickets/${(await fixtures.ticket()).id}/events`) },
    {
      name: "an unknown ticket",
      status: 404,
      code: "not_found",
      run: async () => send("GET", `/v1/tickets/${unknownTicket}/events`, { headers: bearer((await fixtures.ticket()).token) }),
    },
    {
      name: "a since that is not a number",
      status: 422,
      code: "validation",
      field: "since",
      async run() {
        const { id, token } = await fixtures.ticket();
        return send("GET", `/v1/tickets/${id}/events?since=abc`, { headers: bearer(token) });
      },
    },
  ],
  openLive: [
    {
      name: "a handshake without credentials",
      status: 401,
      code: "unauthenticated",
      run: async () => upgrade(`/v1/tickets/${(await fixtures.ticket()).id}/live?since=0`, ["mend.v1"]),
    },
    {
      name: "a handshake for an unknown ticket",
      status: 404,
      code: "not_found",
      run: async () => upgrade(`/v1/tickets/${unknownTicket}/live?since=0`, ["mend.v1", `mend.auth.${(await fixtures.ticket()).token}`]),
    },
    {
      name: "a since that is not a number",
      status: 422,
      code: "validation",
      field: "since",
      async run() {
        const { id, token } = await fixtures.ticket();
        return upgrade(`/v1/tickets/${id}/live?since=x`, ["mend.v1", `mend.auth.${token}`]);
      },
    },
    {
      name: "no WebSocket upgrade",
      status: 426,
      code: "upgrade_required",
      async run() {
        const { id, token } = await fixtures.ticket();
        return send("GET", `/v1/tickets/${id}/live`, { headers: bearer(token) });
      },
    },
  ],
  listMyTickets: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", "/v1/customers/me/tickets") },
    {
      name: "an identity JWT with a wrong signature",
      status: 401,
      code: "invalid_identity",
      run: async () => send("GET", "/v1/customers/me/tickets", { headers: bearer(await identity("customer-7", { secret: "not-the-secret" })) }),
    },
  ],
  getQueue: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", "/v1/queue") },
    { name: "an unknown filter", status: 422, code: "validation", field: "filter", run: () => send("GET", "/v1/queue?filter=urgent", { headers: rep() }) },
  ],
  getWidgetConfig: [
    { name: "an unknown workspace", status: 404, code: "not_found", run: () => send("GET", "/v1/workspaces/no-such-workspace/widget-config") },
  ],
  openQueueLive: [
    { name: "a handshake without credentials", status: 401, code: "unauthenticated", run: () => upgrade("/v1/queue/live", ["mend.v1"]) },
    {
      name: "a handshake with a customer token",
      status: 401,
      code: "unauthenticated",
      run: async () => upgrade("/v1/queue/live", ["mend.v1", `mend.auth.${(await fixtures.ticket()).token}`]),
    },
    { name: "no WebSocket upgrade", status: 426, code: "upgrade_required", run: () => send("GET", "/v1/queue/live", { headers: rep() }) },
  ],
  getRecord: [
    {
      name: "to before from",
      status: 400,
      code: "invalid_period",
      field: "to",
      run: () => send("GET", "/v1/workspaces/acme/record?from=2026-11-10&to=2026-11-01", { headers: rep() }),
    },
    {
      name: "from that is no date",
      status: 400,
      code: "invalid_period",
      field: "from",
      run: () => send("GET", "/v1/workspaces/acme/record?from=yesterday&to=2026-11-01", { headers: rep() }),
    },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", "/v1/workspaces/acme/record") },
    {
      name: "a browser origin acme does not allow",
      status: 403,
      code: "origin_not_allowed",
      run: () => send("GET", "/v1/workspaces/acme/record", { headers: { ...rep(), Origin: "https://evil.example" } }),
    },
    {
      name: "a manager key of another workspace",
      status: 404,
      code: "not_found",
      run: async () => send("GET", "/v1/workspaces/acme/record", { headers: bearer(await fixtures.otherManager()) }),
    },
  ],
  getScorecard: [
    {
      name: "a period of more than 366 days, in the preview",
      status: 400,
      code: "invalid_period",
      field: "to",
      run: () => send("GET", "/r/acme?from=2025-01-01&to=2026-06-30", { headers: rep() }),
    },
    { name: "a record not published, to anyone else", status: 404, code: "not_found", run: () => send("GET", "/r/acme") },
    { name: "no such workspace", status: 404, code: "not_found", run: () => send("GET", "/r/no-such-workspace") },
  ],
  getSession: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", "/v1/session") },
    { name: "an unknown key", status: 401, code: "unauthenticated", run: () => send("GET", "/v1/session", { headers: bearer(unknownKey) }) },
    {
      name: "a browser origin acme does not allow",
      status: 403,
      code: "origin_not_allowed",
      run: () => send("GET", "/v1/session", { headers: { ...rep(), Origin: "https://evil.example" } }),
    },
  ],
  startSession: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", "/v1/session") },
    { name: "an unknown key", status: 401, code: "unauthenticated", run: () => send("POST", "/v1/session", { headers: bearer(unknownKey) }) },
  ],
  // Signing out never fails for want of credentials: the document lists no 4xx for it.
  endSession: [],
  createWorkspace: [
    { name: "malformed JSON", status: 400, code: "malformed_json", run: () => send("POST", "/v1/workspaces", { headers: admin(), raw: "{not json" }) },
    {
      name: "no credentials",
      status: 401,
      code: "unauthenticated",
      run: () => send("POST", "/v1/workspaces", { body: { id: unique("x"), name: "X", apology: "We're truly sorry: we let you down." } }),
    },
    {
      name: "a manager key: only the admin creates workspaces",
      status: 401,
      code: "unauthenticated",
      run: () => send("POST", "/v1/workspaces", { headers: manager(), body: { id: unique("x"), name: "X", apology: "We're truly sorry: we let you down." } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: () => send("POST", "/v1/workspaces", { headers: { ...admin(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    {
      name: "an insincere apology",
      status: 422,
      code: "validation",
      field: "apology",
      run: () => send("POST", "/v1/workspaces", { headers: admin(), body: { id: unique("x"), name: "X", apology: "We apologise for any inconvenience." } }),
    },
    {
      name: "an id that is not a slug",
      status: 422,
      code: "validation",
      field: "id",
      run: () => send("POST", "/v1/workspaces", { headers: admin(), body: { id: "Not A Slug!", name: "X", apology: "We're truly sorry: we let you down." } }),
    },
    {
      name: "an id already in use",
      status: 409,
      code: "already_exists",
      run: () => send("POST", "/v1/workspaces", { headers: admin(), body: { id: "acme", name: "X", apology: "We're truly sorry: we let you down." } }),
    },
  ],
  getWorkspace: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", "/v1/workspaces/acme") },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: () => send("GET", "/v1/workspaces/acme", { headers: rep() }) },
    {
      name: "a manager key of another workspace",
      status: 404,
      code: "not_found",
      run: async () => send("GET", "/v1/workspaces/acme", { headers: bearer(await fixtures.otherManager()) }),
    },
    { name: "an unknown workspace", status: 404, code: "not_found", run: () => send("GET", "/v1/workspaces/no-such-workspace", { headers: admin() }) },
  ],
  updateWorkspace: [
    { name: "malformed JSON", status: 400, code: "malformed_json", run: () => send("PATCH", "/v1/workspaces/acme", { headers: admin(), raw: "{not json" }) },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("PATCH", "/v1/workspaces/acme", { body: { colour: "#000000" } }) },
    {
      name: "a rep (non-manager) key",
      status: 403,
      code: "forbidden",
      run: () => send("PATCH", "/v1/workspaces/acme", { headers: rep(), body: { colour: "#000000" } }),
    },
    {
      name: "a manager key of another workspace",
      status: 404,
      code: "not_found",
      run: async () => send("PATCH", "/v1/workspaces/acme", { headers: bearer(await fixtures.otherManager()), body: { colour: "#000000" } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: () => send("PATCH", "/v1/workspaces/acme", { headers: { ...admin(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    { name: "an unknown key", status: 422, code: "validation", run: () => send("PATCH", "/v1/workspaces/acme", { headers: admin(), body: { color: "#000000" } }) },
    {
      name: "an insincere apology",
      status: 422,
      code: "validation",
      field: "apology",
      run: () => send("PATCH", "/v1/workspaces/acme", { headers: manager(), body: { apology: "We apologise for any inconvenience." } }),
    },
    {
      name: "an origin with a path",
      status: 422,
      code: "validation",
      field: "origins",
      run: () => send("PATCH", "/v1/workspaces/acme", { headers: manager(), body: { origins: ["https://shop.example/orders"] } }),
    },
    ...[
      ["an unknown time zone", "time_zone", { time_zone: "Europe/Atlantis" }],
      ["overlapping opening times", "week", { week: { monday: [{ opens: "09:00", closes: "13:00" }, { opens: "12:00", closes: "17:00" }] } }],
      ["an impossible opening time", "week", { week: { monday: [{ opens: "09:00", closes: "25:00" }] } }],
      ["a closed date that is not a date", "closed_dates", { closed_dates: ["2027-02-30"] }],
      ["a first-answer target over 14 days", "first_answer_minutes", { first_answer_minutes: 14 * 24 * 60 + 1 }],
    ].map(([name, field, change]) => ({
      name,
      status: 422,
      code: "validation",
      field,
      run: () => {
        const opening_hours = { time_zone: "Europe/Berlin", week: { monday: [{ opens: "09:00", closes: "17:00" }] }, first_answer_minutes: 120, ...change };
        return send("PATCH", "/v1/workspaces/acme", { headers: manager(), body: { opening_hours } });
      },
    })),
  ],
  listKeys: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", "/v1/workspaces/acme/keys") },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: () => send("GET", "/v1/workspaces/acme/keys", { headers: rep() }) },
    { name: "an unknown workspace", status: 404, code: "not_found", run: () => send("GET", "/v1/workspaces/no-such-workspace/keys", { headers: admin() }) },
  ],
  createKey: [
    { name: "malformed JSON", status: 400, code: "malformed_json", run: () => send("POST", "/v1/workspaces/acme/keys", { headers: manager(), raw: "{not json" }) },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", "/v1/workspaces/acme/keys", { body: { role: "rep", label: "Sam" } }) },
    {
      name: "a rep (non-manager) key",
      status: 403,
      code: "forbidden",
      run: () => send("POST", "/v1/workspaces/acme/keys", { headers: rep(), body: { role: "rep", label: "Sam" } }),
    },
    {
      name: "a manager key of another workspace",
      status: 404,
      code: "not_found",
      run: async () => send("POST", "/v1/workspaces/acme/keys", { headers: bearer(await fixtures.otherManager()), body: { role: "rep", label: "Sam" } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: () => send("POST", "/v1/workspaces/acme/keys", { headers: { ...manager(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    {
      name: "a role that is neither rep nor manager",
      status: 422,
      code: "validation",
      field: "role",
      run: () => send("POST", "/v1/workspaces/acme/keys", { headers: manager(), body: { role: "owner", label: "Sam" } }),
    },
  ],
  revokeKey: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("DELETE", "/v1/workspaces/acme/keys/0000000000000000") },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: () => send("DELETE", "/v1/workspaces/acme/keys/0000000000000000", { headers: rep() }) },
    { name: "an unknown key", status: 404, code: "not_found", run: () => send("DELETE", "/v1/workspaces/acme/keys/0000000000000000", { headers: manager() }) },
  ],
  listChanges: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", "/v1/workspaces/acme/changes") },
    {
      name: "a browser on a site that is not one of the workspace's",
      status: 403,
      code: "origin_not_allowed",
      run: () => send("GET", "/v1/workspaces/acme/changes", { headers: { ...rep(), Origin: "https://elsewhere.example" } }),
    },
    {
      name: "a key of another workspace",
      status: 404,
      code: "not_found",
      run: async () => send("GET", "/v1/workspaces/acme/changes", { headers: bearer(await fixtures.otherManager()) }),
    },
  ],
  publishChange: [
    { name: "malformed JSON", status: 400, code: "malformed_json", run: () => send("POST", "/v1/workspaces/acme/changes", { headers: manager(), raw: "{not json" }) },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", "/v1/workspaces/acme/changes", { body: { ticket_id: "x" } }) },
    {
      name: "a rep (non-manager) key",
      status: 403,
      code: "forbidden",
      run: async () => send("POST", "/v1/workspaces/acme/changes", { headers: rep(), body: { ticket_id: (await fixtures.proposed()).id } }),
    },
    {
      name: "another workspace's ticket",
      status: 404,
      code: "not_found",
      run: async () => {
        const ws = await fixtures.workspace();
        return send("POST", `/v1/workspaces/${ws}/changes`, { headers: bearer(await fixtures.otherManager()), body: { ticket_id: (await fixtures.proposed()).id } });
      },
    },
    {
      name: "a ticket with no prevention note yet",
      status: 409,
      code: "invalid_transition",
      run: async () => send("POST", "/v1/workspaces/acme/changes", { headers: manager(), body: { ticket_id: (await fixtures.ticket()).id } }),
    },
    {
      name: "a body larger than 64 KB",
      status: 413,
      code: "payload_too_large",
      run: () => send("POST", "/v1/workspaces/acme/changes", { headers: manager(), body: { ticket_id: "x".repeat(70_000) } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: () => send("POST", "/v1/workspaces/acme/changes", { headers: { ...manager(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    {
      name: "a ticket id that is none",
      status: 422,
      code: "validation",
      field: "ticket_id",
      run: () => send("POST", "/v1/workspaces/acme/changes", { headers: manager(), body: { ticket_id: "not a ticket" } }),
    },
  ],
  withdrawChange: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("DELETE", "/v1/workspaces/acme/changes/0123456789abcdef0123456789abcdef") },
    {
      name: "a rep (non-manager) key",
      status: 403,
      code: "forbidden",
      run: () => send("DELETE", "/v1/workspaces/acme/changes/0123456789abcdef0123456789abcdef", { headers: rep() }),
    },
    {
      name: "a ticket with nothing published",
      status: 404,
      code: "not_found",
      run: () => send("DELETE", "/v1/workspaces/acme/changes/0123456789abcdef0123456789abcdef", { headers: manager() }),
    },
  ],
  createIdentityKey: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", "/v1/workspaces/acme/identity-keys", { body: {} }) },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: () => send("POST", "/v1/workspaces/acme/identity-keys", { headers: rep(), body: {} }) },
    {
      name: "an unknown workspace",
      status: 404,
      code: "not_found",
      run: () => send("POST", "/v1/workspaces/no-such-workspace/identity-keys", { headers: admin(), body: {} }),
    },
  ],
  deleteIdentityKey: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("DELETE", "/v1/workspaces/acme/identity-keys/no-such-kid") },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: () => send("DELETE", "/v1/workspaces/acme/identity-keys/no-such-kid", { headers: rep() }) },
    { name: "an unknown kid", status: 404, code: "not_found", run: () => send("DELETE", "/v1/workspaces/acme/identity-keys/no-such-kid", { headers: manager() }) },
  ],
  listWebhookEndpoints: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", hooks) },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: () => send("GET", hooks, { headers: rep() }) },
    {
      name: "a browser origin acme does not allow",
      status: 403,
      code: "origin_not_allowed",
      run: () => send("GET", hooks, { headers: { ...manager(), Origin: "https://evil.example" } }),
    },
    { name: "a manager key of another workspace", status: 404, code: "not_found", run: async () => send("GET", hooks, { headers: bearer(await fixtures.otherManager()) }) },
    { name: "an unknown workspace", status: 404, code: "not_found", run: () => send("GET", "/v1/workspaces/no-such-workspace/webhooks", { headers: admin() }) },
  ],
  createWebhookEndpoint: [
    { name: "malformed JSON", status: 400, code: "malformed_json", run: () => send("POST", hooks, { headers: manager(), raw: "{not json" }) },
    {
      name: "event types that are not strings",
      status: 400,
      code: "malformed_json",
      run: () => send("POST", hooks, { headers: manager(), body: { url: "https://hooks.example.com/m", event_types: [7] } }),
    },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", hooks, { body: { url: "https://hooks.example.com/m" } }) },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: () => send("POST", hooks, { headers: rep(), body: { url: "https://hooks.example.com/m" } }) },
    {
      name: "a manager key of another workspace",
      status: 404,
      code: "not_found",
      run: async () => send("POST", hooks, { headers: bearer(await fixtures.otherManager()), body: { url: "https://hooks.example.com/m" } }),
    },
    {
      name: "the same Idempotency-Key while the first request runs",
      status: 409,
      code: "idempotency_in_progress",
      run: () => overlapping(hooks, { url: "https://hooks.example.com/overlap" }),
    },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      run: () => send("POST", hooks, { headers: manager(), body: { url: "https://hooks.example.com/m", description: "x".repeat(70_000) } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: () => send("POST", hooks, { headers: { ...manager(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    { name: "no url", status: 422, code: "validation", field: "url", run: () => send("POST", hooks, { headers: manager(), body: { description: "CRM" } }) },
    {
      name: "a url to a private address",
      status: 422,
      code: "validation",
      field: "url",
      run: () => send("POST", hooks, { headers: manager(), body: { url: "https://192.168.0.10/hook" } }),
    },
    {
      name: "a description over 200 characters",
      status: 422,
      code: "validation",
      field: "description",
      run: () => send("POST", hooks, { headers: manager(), body: { url: "https://hooks.example.com/m", description: "x".repeat(201) } }),
    },
    {
      name: "an event type Mend does not send",
      status: 422,
      code: "validation",
      field: "event_types",
      run: () => send("POST", hooks, { headers: manager(), body: { url: "https://hooks.example.com/m", event_types: ["webhook.test"] } }),
    },
    {
      name: "a key the body may not have",
      status: 422,
      code: "validation",
      field: "uri",
      run: () => send("POST", hooks, { headers: manager(), body: { uri: "https://hooks.example.com/m" } }),
    },
    {
      name: "an Idempotency-Key with a space",
      status: 422,
      code: "validation",
      field: "idempotency_key",
      run: () => send("POST", hooks, { headers: { ...manager(), "Idempotency-Key": "two words" }, body: { url: "https://hooks.example.com/m" } }),
    },
    {
      name: "an Idempotency-Key reused with another body",
      status: 422,
      code: "idempotency_key_reused",
      async run() {
        const headers = { ...manager(), "Idempotency-Key": unique("endpoint") };
        const first = await answer("createWebhookEndpoint", await send("POST", hooks, { headers, body: { url: "https://hooks.example.com/first" } }));
        assert.equal(first.status, 201);
        return send("POST", hooks, { headers, body: { url: "https://hooks.example.com/second" } });
      },
    },
  ],
  getWebhookEndpoint: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", `${hooks}/${unknownEndpoint}`) },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: async () => send("GET", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: rep() }) },
    { name: "an unknown endpoint", status: 404, code: "not_found", run: () => send("GET", `${hooks}/${unknownEndpoint}`, { headers: manager() }) },
    {
      name: "a manager key of another workspace",
      status: 404,
      code: "not_found",
      run: async () => send("GET", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: bearer(await fixtures.otherManager()) }),
    },
  ],
  updateWebhookEndpoint: [
    {
      name: "malformed JSON",
      status: 400,
      code: "malformed_json",
      run: async () => send("PATCH", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: manager(), raw: "{not json" }),
    },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("PATCH", `${hooks}/${unknownEndpoint}`, { body: { enabled: false } }) },
    {
      name: "a rep (non-manager) key",
      status: 403,
      code: "forbidden",
      run: async () => send("PATCH", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: rep(), body: { enabled: false } }),
    },
    { name: "an unknown endpoint", status: 404, code: "not_found", run: () => send("PATCH", `${hooks}/${unknownEndpoint}`, { headers: manager(), body: { enabled: false } }) },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      run: async () => send("PATCH", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: manager(), body: { description: "x".repeat(70_000) } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: async () => send("PATCH", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: { ...manager(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    {
      name: "a url on loopback",
      status: 422,
      code: "validation",
      field: "url",
      run: async () => send("PATCH", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: manager(), body: { url: "http://127.0.0.1:8787/hook" } }),
    },
    {
      name: "an empty list of event types",
      status: 422,
      code: "validation",
      field: "event_types",
      run: async () => send("PATCH", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: manager(), body: { event_types: [] } }),
    },
    {
      name: "a key the body may not have",
      status: 422,
      code: "validation",
      field: "active",
      run: async () => send("PATCH", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: manager(), body: { active: false } }),
    },
  ],
  deleteWebhookEndpoint: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("DELETE", `${hooks}/${unknownEndpoint}`) },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: async () => send("DELETE", `${hooks}/${(await fixtures.webhookEndpoint()).id}`, { headers: rep() }) },
    { name: "an unknown endpoint", status: 404, code: "not_found", run: () => send("DELETE", `${hooks}/${unknownEndpoint}`, { headers: manager() }) },
    {
      name: "an endpoint deleted already",
      status: 404,
      code: "not_found",
      async run() {
        const endpoint = await registerEndpoint({ description: "deleted twice" });
        assert.equal((await answer("deleteWebhookEndpoint", await send("DELETE", `${hooks}/${endpoint.id}`, { headers: manager() }))).status, 204);
        return send("DELETE", `${hooks}/${endpoint.id}`, { headers: manager() });
      },
    },
  ],
  rotateWebhookSecret: [
    {
      name: "an overlap with a fraction",
      status: 400,
      code: "malformed_json",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/secret`, { headers: manager(), body: { overlap_seconds: 1.5 } }),
    },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", `${hooks}/${unknownEndpoint}/secret`) },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/secret`, { headers: rep() }) },
    { name: "an unknown endpoint", status: 404, code: "not_found", run: () => send("POST", `${hooks}/${unknownEndpoint}/secret`, { headers: manager() }) },
    {
      name: "the same Idempotency-Key while the first request runs",
      status: 409,
      code: "idempotency_in_progress",
      run: async () => overlapping(`${hooks}/${(await fixtures.webhookEndpoint()).id}/secret`, { overlap_seconds: 60 }),
    },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/secret`, { headers: manager(), body: { note: "x".repeat(70_000) } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/secret`, { headers: { ...manager(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    {
      name: "an overlap over a week",
      status: 422,
      code: "validation",
      field: "overlap_seconds",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/secret`, { headers: manager(), body: { overlap_seconds: 604_801 } }),
    },
    {
      name: "a key the body may not have",
      status: 422,
      code: "validation",
      field: "overlap",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/secret`, { headers: manager(), body: { overlap: 60 } }),
    },
  ],
  sendWebhookTest: [
    {
      name: "a body that is not a JSON object",
      status: 400,
      code: "malformed_json",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/test`, { headers: manager(), raw: "[]" }),
    },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", `${hooks}/${unknownEndpoint}/test`) },
    { name: "a rep (non-manager) key", status: 403, code: "forbidden", run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/test`, { headers: rep() }) },
    { name: "an unknown endpoint", status: 404, code: "not_found", run: () => send("POST", `${hooks}/${unknownEndpoint}/test`, { headers: manager() }) },
    {
      name: "a disabled endpoint",
      status: 409,
      code: "invalid_transition",
      run: async () => send("POST", `${hooks}/${(await disabledEndpoint()).id}/test`, { headers: manager(), body: {} }),
    },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/test`, { headers: manager(), body: { message: "x".repeat(70_000) } }),
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/test`, { headers: { ...manager(), "Content-Type": "text/plain" }, raw: "hi" }),
    },
    {
      name: "a key the body may not have",
      status: 422,
      code: "validation",
      field: "message",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/test`, { headers: manager(), body: { message: "hello" } }),
    },
  ],
  listWebhookDeliveries: [
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("GET", `${hooks}/${unknownEndpoint}/deliveries`) },
    {
      name: "a rep (non-manager) key",
      status: 403,
      code: "forbidden",
      run: async () => send("GET", `${hooks}/${(await fixtures.webhookEndpoint()).id}/deliveries`, { headers: rep() }),
    },
    { name: "an unknown endpoint", status: 404, code: "not_found", run: () => send("GET", `${hooks}/${unknownEndpoint}/deliveries`, { headers: manager() }) },
  ],
  replayWebhookDelivery: [
    {
      name: "a body that is not a JSON object",
      status: 400,
      code: "malformed_json",
      async run() {
        const { endpoint, delivery } = await fixtures.webhookDelivery();
        return send("POST", `${hooks}/${endpoint}/deliveries/${delivery}/replay`, { headers: manager(), raw: "1" });
      },
    },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", `${hooks}/${unknownEndpoint}/deliveries/1/replay`) },
    {
      name: "a rep (non-manager) key",
      status: 403,
      code: "forbidden",
      async run() {
        const { endpoint, delivery } = await fixtures.webhookDelivery();
        return send("POST", `${hooks}/${endpoint}/deliveries/${delivery}/replay`, { headers: rep() });
      },
    },
    {
      name: "no delivery with this id to this endpoint",
      status: 404,
      code: "not_found",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/deliveries/999999/replay`, { headers: manager() }),
    },
    {
      name: "another endpoint's delivery",
      status: 404,
      code: "not_found",
      async run() {
        const { delivery } = await fixtures.webhookDelivery();
        const other = await registerEndpoint({ description: "another" });
        return send("POST", `${hooks}/${other.id}/deliveries/${delivery}/replay`, { headers: manager() });
      },
    },
    { name: "an unknown endpoint", status: 404, code: "not_found", run: () => send("POST", `${hooks}/${unknownEndpoint}/deliveries/1/replay`, { headers: manager() }) },
    {
      name: "a disabled endpoint",
      status: 409,
      code: "invalid_transition",
      run: async () => send("POST", `${hooks}/${(await disabledEndpoint()).id}/deliveries/1/replay`, { headers: manager(), body: {} }),
    },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      async run() {
        const { endpoint, delivery } = await fixtures.webhookDelivery();
        return send("POST", `${hooks}/${endpoint}/deliveries/${delivery}/replay`, { headers: manager(), body: { why: "x".repeat(70_000) } });
      },
    },
    {
      name: "a body that is not JSON",
      status: 415,
      code: "unsupported_media_type",
      async run() {
        const { endpoint, delivery } = await fixtures.webhookDelivery();
        return send("POST", `${hooks}/${endpoint}/deliveries/${delivery}/replay`, { headers: { ...manager(), "Content-Type": "text/plain" }, raw: "hi" });
      },
    },
    {
      name: "a key the body may not have",
      status: 422,
      code: "validation",
      field: "why",
      async run() {
        const { endpoint, delivery } = await fixtures.webhookDelivery();
        return send("POST", `${hooks}/${endpoint}/deliveries/${delivery}/replay`, { headers: manager(), body: { why: "outage" } });
      },
    },
  ],
  replayFailedWebhooks: [
    {
      name: "a since that is not a string",
      status: 400,
      code: "malformed_json",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/replay`, { headers: manager(), body: { since: null } }),
    },
    { name: "no credentials", status: 401, code: "unauthenticated", run: () => send("POST", `${hooks}/${unknownEndpoint}/replay`, { body: { since: "2026-01-01T00:00:00Z" } }) },
    {
      name: "a rep (non-manager) key",
      status: 403,
      code: "forbidden",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/replay`, { headers: rep(), body: { since: "2026-01-01T00:00:00Z" } }),
    },
    {
      name: "an unknown endpoint",
      status: 404,
      code: "not_found",
      run: () => send("POST", `${hooks}/${unknownEndpoint}/replay`, { headers: manager(), body: { since: "2026-01-01T00:00:00Z" } }),
    },
    {
      name: "a disabled endpoint",
      status: 409,
      code: "invalid_transition",
      run: async () => send("POST", `${hooks}/${(await disabledEndpoint()).id}/replay`, { headers: manager(), body: { since: "2026-01-01T00:00:00Z" } }),
    },
    {
      name: "an oversized body",
      status: 413,
      code: "payload_too_large",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/replay`, { headers: manager(), body: { since: "x".repeat(70_000) } }),
    },
    {
      name: "no body",
      status: 415,
      code: "unsupported_media_type",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/replay`, { headers: manager() }),
    },
    { name: "no since", status: 422, code: "validation", field: "since", run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/replay`, { headers: manager(), body: {} }) },
    {
      name: "a since that is no time",
      status: 422,
      code: "validation",
      field: "since",
      run: async () => send("POST", `${hooks}/${(await fixtures.webhookEndpoint()).id}/replay`, { headers: manager(), body: { since: "yesterday" } }),
    },
  ],
};

// ---------------------------------------------------------------------------
// The tests

describe("the document", () => {
  test("is OpenAPI 3.1.0, served by the worker exactly as it is on disk", async () => {
    assert.equal(openapi.openapi, "3.1.0");
    const response = await send("GET", "/v1/openapi.json");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type"), /^application\/json\b/);
    // Compared whole, but reported briefly: the document is large.
    assert.ok((await response.text()) === documentText, "the served document is not worker/src/openapi.json as on disk (is the build stale?)");
  });

  test("every component schema compiles", () => {
    const names = Object.keys(openapi.components.schemas);
    assert.ok(names.length > 0);
    for (const name of names) validator(`/components/schemas/${escapePointer(name)}`);
  });

  test("every webhook Mend sends has its body, each ticket event's pinned to its type and the event it carries", () => {
    // The event kind each ticket webhook type carries, as the core's `EventType::of` maps them.
    const carries = {
      "ticket.reported": "reported",
      "ticket.message": "message_added",
      "ticket.updated": "updated",
      "ticket.question_asked": "question_asked",
      "ticket.escalated": "escalated",
      "ticket.resolution_proposed": "resolution_proposed",
      "ticket.solved": "confirmed_solved",
      "ticket.not_yet": "reopened",
      "ticket.make_good_offered": "make_good_offered",
      "ticket.make_good_accepted": "make_good_accepted",
      "ticket.make_good_declined": "make_good_declined",
      "ticket.rated": "rated",
      "ticket.promise_missed": "promise_missed",
      "ticket.withdrawn": "withdrawn",
      "ticket.ownership_taken": "ownership_taken",
      "ticket.handed_over": "handed_over",
      "ticket.follow_up_asked": "follow_up_asked",
      "ticket.follow_up_answered": "follow_up_answered",
    };
    assert.deepEqual(Object.keys(openapi.webhooks), [...Object.keys(carries), "webhook.test"]);
    assert.deepEqual(openapi.components.schemas.WebhookEventType.enum, Object.keys(openapi.webhooks));
    for (const type of Object.keys(openapi.webhooks)) {
      const body = `/webhooks/${escapePointer(type)}/post/requestBody/content/application~1json/schema`;
      validator(body);
      if (type === "webhook.test") continue;
      const { properties } = resolve(body).value;
      assert.equal(properties.type.const, type);
      const event = resolve(properties.data.properties.event.$ref.slice(1)).value;
      assert.equal(event.properties.type.const, carries[type], `${type} carries a ${carries[type]} event`);
    }
  });

  test("every operation has an operationId, once", () => {
    const ids = Object.values(openapi.paths).flatMap((item) => METHODS.filter((m) => item[m]).map((m) => item[m].operationId));
    assert.ok(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z]+$/.test(id)), `${ids}`);
    assert.equal(new Set(ids).size, ids.length, `${ids}`);
  });

  test("the tables below cover exactly the document's operations", () => {
    const documented = [...operations.keys()].sort();
    assert.deepEqual(Object.keys(successes).sort(), documented, "success table");
    assert.deepEqual(Object.keys(errors).sort(), documented, "error table");
  });
});

describe("every operation succeeds as documented", () => {
  for (const operationId of operations.keys()) {
    test(`${operationId} answers its documented success`, async () => {
      const run = successes[operationId];
      assert.ok(run, `no request for ${operationId} in the success table`);
      const response = await run();
      const got = await answer(operationId, response);
      assert.equal(got.status, successStatusOf(operationId), JSON.stringify(got.body));
      successChecks[operationId]?.(got, response);
    });
  }
});

describe("every operation fails as documented", () => {
  for (const operationId of operations.keys()) {
    test(`${operationId} answers its documented errors`, async () => {
      const cases = errors[operationId];
      assert.ok(cases, `no error cases for ${operationId} in the error table`);
      const documented4xx = statusesOf(operationId).filter((status) => status >= 400 && status < 500);
      if (documented4xx.length > 0) assert.ok(cases.length > 0, `${operationId} documents ${documented4xx} but none is exercised`);
      for (const { name, status, code, field, run } of cases) {
        const got = await answer(operationId, await run());
        assert.equal(got.status, status, `${operationId}, ${name}: ${JSON.stringify(got.body)}`);
        if (code !== undefined) assert.equal(got.body.error.code, code, `${operationId}, ${name}`);
        if (field !== undefined) assert.equal(got.body.error.field, field, `${operationId}, ${name}`);
      }
    });
  }
});

describe("what the document says of every operation", () => {
  test("a replayed POST carries Idempotent-Replayed and the first answer", async () => {
    const request = { headers: { "Idempotency-Key": unique("replay") }, body: { workspace: "acme", ...armchair } };
    const first = await answer("createReport", await send("POST", "/v1/reports", request));
    const again = await answer("createReport", await send("POST", "/v1/reports", request));
    assert.equal(first.status, 201);
    assert.equal(first.headers.get("idempotent-replayed"), null);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(again.body, first.body);
  });

  test("another method on any documented path is 405 with Allow naming the documented methods", async () => {
    const { id } = await fixtures.ticket();
    const sample = { id, ws: "acme", key_id: "0000000000000000", kid: "no-such-kid", endpoint: unknownEndpoint, delivery: "1" };
    for (const [template, item] of Object.entries(openapi.paths)) {
      const path = template.replace(/\{(\w+)\}/g, (_, name) => sample[name]);
      // PUT, where the path takes none; else a method no path takes.
      const method = item.put ? "QUERY" : "PUT";
      const response = await send(method, path, { headers: rep() });
      const text = await response.text();
      assert.equal(response.status, 405, `${method} ${path}: ${text}`);
      checkAgainst(resolve("/components/responses/MethodNotAllowed"), response, text, `${method} ${path}`);
      const allowed = response.headers.get("allow").split(",").map((m) => m.trim().toLowerCase()).filter((m) => m !== "head" && m !== "options");
      assert.deepEqual(allowed.sort(), METHODS.filter((m) => item[m]).sort(), `Allow of ${path}`);
    }
  });
});

describe("a report over the rate limit", () => {
  let limited;
  before(async () => (limited = await startMend({ vars: { REPORTS_PER_MINUTE_PER_ADDRESS: "2" } })));
  after(async () => limited?.stop());

  test("createReport answers 429 rate_limited with Retry-After, as documented", async () => {
    const statuses = [];
    let refused;
    // Two a minute per address: within at most three windows' worth of tries one is refused.
    for (let i = 0; i < 7 && !refused; i++) {
      const got = await answer("createReport", await send("POST", "/v1/reports", { base: limited.url, body: { workspace: "acme", ...armchair } }));
      statuses.push(got.status);
      if (got.status === 429) refused = got;
      else assert.equal(got.status, 201, JSON.stringify(got.body));
    }
    assert.ok(refused, `no 429 among ${statuses}`);
    assert.equal(refused.body.error.code, "rate_limited");
    assert.equal(refused.body.error.message, "Too many reports from this connection — try again in a minute.");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
  });
});
