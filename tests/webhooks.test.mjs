// Signed webhooks, end to end: the real worker in `wrangler dev` delivers
// every ticket event to a real receiver on loopback, which verifies each
// delivery with the npm `standardwebhooks` package. The schedule runs a
// thousand times faster here (WEBHOOKS_SCHEDULE_SPEEDUP), an attempt times
// out after a second (WEBHOOKS_TIMEOUT_MS), and endpoints may be
// http://127.0.0.1 (WEBHOOKS_ALLOW_LOOPBACK) — all off in production. Every
// body received is held to what the OpenAPI document's `webhooks` says of its type.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { startMend, inMinutes, until } from "./support/mend.mjs";
import { startReceiver } from "./support/receiver.mjs";

const openapi = JSON.parse(readFileSync(new URL("../worker/src/openapi.json", import.meta.url), "utf8"));
// Set up as tests/openapi.test.mjs does: strict, formats checked, OpenAPI's
// `discriminator` an annotation, and the document's top-level keys known, so
// each body schema compiles in place and resolves `#/components/…`.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
ajv.addKeyword({ keyword: "discriminator", schemaType: "object" });
for (const keyword of ["openapi", "info", "servers", "tags", "paths", "webhooks", "components"]) ajv.addKeyword(keyword);
ajv.addSchema(openapi, "openapi.json");

/**
 * Fails unless a delivery is what the document's `webhooks` entry for its
 * `type` says Mend sends: its body, and the headers it documents.
 */
function assertDocumented({ body, headers }) {
  const entry = openapi.webhooks[body.type];
  assert.ok(entry, `the document has no webhook ${body.type}`);
  const validate = ajv.getSchema(`openapi.json#/webhooks/${body.type}/post/requestBody/content/application~1json/schema`);
  assert.ok(validate(body), `a ${body.type} body breaks the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  for (const { $ref } of entry.post.parameters) {
    const { name, schema } = $ref.split("/").slice(1).reduce((at, key) => at[key], openapi);
    const value = headers[name];
    assert.ok(value !== undefined, `a ${body.type} delivery lacks ${name}`);
    const typed = schema.type === "integer" && /^\d+$/.test(value) ? Number(value) : value;
    const check = ajv.getSchema(`openapi.json${$ref}/schema`);
    assert.ok(check(typed), `${name}: ${value} breaks the document: ${ajv.errorsText(check.errors)}`);
  }
}

/** Every type a ticket event is sent as: the first test has Mend send each of them. */
const TICKET_TYPES = [
  "ticket.reported", "ticket.message", "ticket.updated", "ticket.promise_missed", "ticket.question_asked",
  "ticket.escalated", "ticket.make_good_offered", "ticket.make_good_accepted", "ticket.resolution_proposed",
  "ticket.not_yet", "ticket.solved", "ticket.rated", "ticket.make_good_declined", "ticket.withdrawn",
  "ticket.ownership_taken", "ticket.handed_over", "ticket.follow_up_asked", "ticket.follow_up_answered",
];

let mend;
before(async () => {
  mend = await startMend({
    vars: { WEBHOOKS_ALLOW_LOOPBACK: "true", WEBHOOKS_SCHEDULE_SPEEDUP: "1000", WEBHOOKS_TIMEOUT_MS: "1000", FOLLOW_UP_AFTER_MS: "1000" },
  });
});
after(async () => mend?.stop());

async function call(method, path, { token = mend.managerKey, body } = {}) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(mend.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const hooks = "/v1/workspaces/acme/webhooks";

/** Registers an endpoint at `receiver` and lets it verify with its secret. */
async function register(receiver, settings = {}) {
  const created = await call("POST", hooks, { body: { url: `${receiver.url}/hook`, description: "tests", ...settings } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  receiver.know("first", created.body.secret);
  return created.body.endpoint;
}

async function unregister(endpoint) {
  assert.equal((await call("DELETE", `${hooks}/${endpoint.id}`)).status, 204);
}

async function report(words = "The armchair never came.") {
  const created = await call("POST", "/v1/reports", { token: "none", body: { workspace: "acme", what_happened: words } });
  assert.equal(created.status, 201);
  return { id: created.body.ticket.id, token: created.body.customer_token };
}

async function act(token, id, command) {
  const answered = await call("POST", `/v1/tickets/${id}/commands`, { token, body: command });
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
  return answered.body;
}

async function deliveries(endpoint) {
  const listed = await call("GET", `${hooks}/${endpoint.id}/deliveries`);
  assert.equal(listed.status, 200);
  return listed.body.deliveries;
}

test("a ticket's whole life reaches the endpoint: every event once, in seq order, each verified", async () => {
  const receiver = await startReceiver();
  const endpoint = await register(receiver);
  try {
    const rep = mend.repKey;
    const a = await report();
    await act(rep, a.id, { type: "message", text: "Thank you, we are looking into it." });
    await act(rep, a.id, { type: "update", text: "Your armchair is on its way back to us.", next_update_by: new Date(Date.now() + 1500).toISOString() });
    await until(async () => (await call("GET", `/v1/tickets/${a.id}`, { token: rep })).body.promise?.missed, {
      attempts: 200,
      every: 50,
      what: "the promise to be recorded missed",
    });
    await act(rep, a.id, { type: "ask", question: "Which colour was it?" });
    await act(a.token, a.id, { type: "message", text: "Linen white." });
    await act(rep, a.id, { type: "escalate", reason: "manager_adds_value" });
    await act(rep, a.id, { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 2000 } });
    await act(a.token, a.id, { type: "accept_make_good" });
    await act(rep, a.id, { type: "propose_resolution", summary: "It was delivered today.", prevention: "Every order is checked before the van leaves." });
    await act(a.token, a.id, { type: "not_yet", reason: "It came in the wrong colour." });
    await act(rep, a.id, { type: "update", text: "The right colour ships tomorrow.", next_update_by: inMinutes(120) });
    await act(rep, a.id, { type: "propose_resolution", summary: "The linen white one was delivered.", prevention: "Colours are now checked at packing." });
    await act(a.token, a.id, { type: "confirm_solved" });
    await act(a.token, a.id, { type: "rate", score: 5 });
    // A second after "solved" (the FOLLOW_UP_AFTER_MS hook), Mend asks whether the fix held.
    await until(async () => (await call("GET", `/v1/tickets/${a.id}`, { token: rep })).body.follow_up === "asked", {
      attempts: 200,
      every: 50,
      what: "the follow-up to be asked",
    });
    await act(a.token, a.id, { type: "answer_follow_up", held: true });

    const b = await report("The lamp flickers.");
    await act(mend.managerKey, b.id, { type: "take_ownership" });
    const repId = (await call("GET", "/v1/session", { token: rep })).body.key_id;
    await act(mend.managerKey, b.id, { type: "hand_over", to: repId, note: "The customer asked for you by name." });
    await act(rep, b.id, { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 1000 } });
    await act(b.token, b.id, { type: "decline_make_good" });
    await act(b.token, b.id, { type: "withdraw" });

    // The log as the company reads it: webhooks are the company's, authors and handover notes included.
    const logs = {};
    for (const { id } of [a, b]) logs[id] = (await call("GET", `/v1/tickets/${id}/events`, { token: rep })).body.events;
    await until(() => receiver.of(a.id).length === logs[a.id].length && receiver.of(b.id).length === logs[b.id].length, {
      attempts: 300,
      what: "every event of both tickets at the receiver",
    });

    const types = [...receiver.of(a.id), ...receiver.of(b.id)].map((d) => d.body.type);
    assert.deepEqual(new Set(types), new Set(TICKET_TYPES));
    for (const [id, log] of Object.entries(logs)) {
      const got = receiver.of(id);
      assert.deepEqual(got.map((d) => d.body.data.seq), log.map((e) => e.seq), "in seq order, each once");
      assert.deepEqual(got.map((d) => d.headers["webhook-id"]), log.map((e) => `msg_${id}_${e.seq}`));
      for (const [i, delivery] of got.entries()) {
        assert.deepEqual(delivery.verifiedBy, ["first"], "verified by the standardwebhooks library");
        assert.deepEqual(delivery.body.data.event, log[i], "the event as the API shows it");
        assert.equal(delivery.body.workspace, "acme");
        assert.equal(delivery.body.timestamp, log[i].at);
        assert.equal(delivery.body.data.url, `/v1/tickets/${id}`);
        assertDocumented(delivery);
        for (const customer of [a, b]) assert.ok(!delivery.raw.includes(customer.token), "never a customer token");
      }
    }
    const last = receiver.of(a.id).at(-1).body;
    assert.equal(last.type, "ticket.follow_up_answered");
    assert.equal(last.data.ticket.status, "solved", "the fix held, and the ticket is as solved as it was");
    assert.equal(last.data.ticket.rating.score, 5);
    assert.equal(last.data.ticket.events, undefined, "the state, not the whole log again");

    const listed = await deliveries(endpoint);
    const ofA = listed.filter((d) => d.ticket_id === a.id);
    assert.ok(ofA.every((d) => d.status === "delivered" && d.attempts.length === 1 && d.attempts[0].status === 200));
  } finally {
    await unregister(endpoint);
    await receiver.stop();
  }
});

test("the document's webhooks are exactly the types Mend sends: every ticket event's and the test", () => {
  assert.deepEqual(new Set(Object.keys(openapi.webhooks)), new Set([...TICKET_TYPES, "webhook.test"]));
});

test("a receiver failing three times gets the fourth attempt, with the same webhook-id, every attempt listed", async () => {
  const receiver = await startReceiver({ answer: (d) => (receiver.received.filter((r) => r.headers["webhook-id"] === d.headers["webhook-id"]).length <= 3 ? { status: 500, body: "down for maintenance" } : { status: 200 }) });
  const endpoint = await register(receiver);
  try {
    const { id } = await report();
    await until(() => receiver.of(id).length === 4, { attempts: 100, what: "the fourth attempt" });
    assert.deepEqual(new Set(receiver.of(id).map((d) => d.headers["webhook-id"])), new Set([`msg_${id}_1`]));
    assert.ok(receiver.of(id).every((d) => d.verifiedBy.length === 1));
    const [delivery] = await until(async () => {
      const listed = (await deliveries(endpoint)).filter((d) => d.ticket_id === id);
      return listed[0]?.status === "delivered" && listed;
    }, { what: "the delivery to be recorded delivered" });
    assert.deepEqual(delivery.attempts.map((a) => a.status), [500, 500, 500, 200]);
    assert.equal(delivery.attempts[0].answer, "down for maintenance");
    assert.equal(delivery.message_id, `msg_${id}_1`);
    assert.equal(delivery.event_type, "ticket.reported");
    const times = delivery.attempts.map((a) => Date.parse(a.at));
    assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]), "attempts in order");
    const endpointNow = (await call("GET", `${hooks}/${endpoint.id}`)).body;
    assert.equal(endpointNow.failing_since, null, "a delivery ends the failing streak");
  } finally {
    await unregister(endpoint);
    await receiver.stop();
  }
});

test("410 Gone disables the endpoint at once; its managers see why, and replay once it is back", async () => {
  let gone = true;
  const receiver = await startReceiver({ answer: () => (gone ? { status: 410 } : { status: 200 }) });
  const endpoint = await register(receiver);
  try {
    const started = new Date().toISOString();
    const { id } = await report();
    const disabled = await until(async () => {
      const now = (await call("GET", `${hooks}/${endpoint.id}`)).body;
      return !now.enabled && now;
    }, { what: "the endpoint to be disabled" });
    assert.match(disabled.disabled_reason, /410 Gone/);
    const [delivery] = (await deliveries(endpoint)).filter((d) => d.ticket_id === id);
    assert.equal(delivery.status, "failed");
    assert.equal(delivery.attempts.length, 1, "no further attempts");

    // A disabled endpoint is sent nothing new, and cannot be replayed to.
    const later = await report("Another problem.");
    assert.equal((await call("POST", `${hooks}/${endpoint.id}/replay`, { body: { since: started } })).status, 409);
    assert.equal(receiver.of(later.id).length, 0);

    // Renaming it leaves it disabled and its managers still told why.
    const renamed = await call("PATCH", `${hooks}/${endpoint.id}`, { body: { description: "Renamed while gone" } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.enabled, false);
    assert.equal(renamed.body.disabled_reason, disabled.disabled_reason);

    gone = false;
    const enabled = await call("PATCH", `${hooks}/${endpoint.id}`, { body: { enabled: true } });
    assert.equal(enabled.status, 200);
    assert.equal(enabled.body.disabled_reason, null);
    const replayed = await call("POST", `${hooks}/${endpoint.id}/replay`, { body: { since: started } });
    assert.equal(replayed.status, 202);
    assert.equal(replayed.body.replayed, 1, JSON.stringify(await deliveries(endpoint), null, 1));
    await until(() => receiver.of(id).length === 2, { what: "the replayed delivery" });
    assert.equal(receiver.of(id)[1].headers["webhook-id"], `msg_${id}_1`, "a replay keeps its webhook-id");
    assert.equal((await deliveries(endpoint)).filter((d) => d.ticket_id === later.id).length, 0, "nothing queued while disabled");
  } finally {
    await unregister(endpoint);
    await receiver.stop();
  }
});

test("a receiver that never answers is retried, and neither other endpoints nor the ticket's commands wait for it", async () => {
  const hanging = await startReceiver({ answer: () => ({ hang: true }) });
  const healthy = await startReceiver();
  const slow = await register(hanging);
  const fast = await register(healthy);
  try {
    const { id, token } = await report();
    for (let i = 1; i <= 5; i++) await act(i % 2 ? mend.repKey : token, id, { type: "message", text: `message ${i}` });
    await until(() => healthy.of(id).length === 6, { what: "all six events at the healthy endpoint" });
    assert.deepEqual(healthy.of(id).map((d) => d.body.data.seq), [1, 2, 3, 4, 5, 6]);
    const timedOut = await until(async () => {
      const [first] = (await deliveries(slow)).filter((d) => d.ticket_id === id && d.seq === 1);
      return first?.attempts.length >= 2 && first;
    }, { attempts: 100, what: "the hanging endpoint's second attempt" });
    assert.equal(timedOut.status, "pending");
    assert.equal(timedOut.attempts[0].status, null);
    assert.match(timedOut.attempts[0].answer, /no answer within 1000 ms/);
    assert.ok(timedOut.attempts[0].latency_ms >= 1000);
  } finally {
    await unregister(slow);
    await unregister(fast);
    await hanging.stop();
    await healthy.stop();
  }
});

test("rotation: during the overlap both secrets sign; after it only the new one", async () => {
  const receiver = await startReceiver();
  const endpoint = await register(receiver);
  async function sendTest() {
    const before = receiver.received.length;
    const sent = await call("POST", `${hooks}/${endpoint.id}/test`);
    assert.equal(sent.status, 202);
    assert.equal(sent.body.event_type, "webhook.test");
    await until(() => receiver.received.length > before, { what: "the test event" });
    const delivery = receiver.received.find((d) => d.headers["webhook-id"] === sent.body.message_id);
    assert.equal(delivery.body.type, "webhook.test");
    assert.equal(delivery.body.data.endpoint_id, endpoint.id);
    assertDocumented(delivery);
    return delivery;
  }
  try {
    assert.deepEqual((await sendTest()).verifiedBy, ["first"]);
    const rotated = await call("POST", `${hooks}/${endpoint.id}/secret`, { body: { overlap_seconds: 3 } });
    assert.equal(rotated.status, 200);
    receiver.know("second", rotated.body.secret);
    const during = await sendTest();
    assert.deepEqual(during.verifiedBy, ["first", "second"]);
    assert.equal(during.headers["webhook-signature"].split(" ").length, 2);
    const expires = Date.parse(rotated.body.previous_secret_expires_at);
    await until(() => Date.now() > expires, { attempts: 100, what: "the overlap to end" });
    const afterwards = await sendTest();
    assert.deepEqual(afterwards.verifiedBy, ["second"]);
    assert.equal(afterwards.headers["webhook-signature"].split(" ").length, 1);
    // A leaked secret stops at once.
    const leaked = await call("POST", `${hooks}/${endpoint.id}/secret`, { body: { overlap_seconds: 0 } });
    assert.equal(leaked.body.previous_secret_expires_at, null);
    receiver.know("third", leaked.body.secret);
    assert.deepEqual((await sendTest()).verifiedBy, ["third"]);
  } finally {
    await unregister(endpoint);
    await receiver.stop();
  }
});

test("a filtered endpoint receives only its types; a disabled one nothing", async () => {
  const all = await startReceiver();
  const filtered = await startReceiver();
  const off = await startReceiver();
  const everything = await register(all);
  const some = await register(filtered, { event_types: ["ticket.solved", "ticket.resolution_proposed"] });
  const disabled = await register(off, { enabled: false });
  try {
    assert.deepEqual(some.event_types, ["ticket.solved", "ticket.resolution_proposed"]);
    assert.equal(disabled.enabled, false);
    const { id, token } = await report();
    await act(mend.repKey, id, { type: "propose_resolution", summary: "It was delivered today.", prevention: "Orders are checked." });
    await act(token, id, { type: "confirm_solved" });
    await until(() => all.of(id).length === 3 && filtered.of(id).length === 2, { what: "both endpoints' deliveries" });
    assert.deepEqual(filtered.of(id).map((d) => d.body.type), ["ticket.resolution_proposed", "ticket.solved"]);
    assert.deepEqual((await deliveries(disabled)).length, 0, "nothing is queued for a disabled endpoint");
    assert.equal(off.received.length, 0);
  } finally {
    for (const endpoint of [everything, some, disabled]) await unregister(endpoint);
    for (const receiver of [all, filtered, off]) await receiver.stop();
  }
});

test("wrangler dev restarted mid-schedule: the schedule resumes, nothing is lost, no id changes", async () => {
  let failing = true;
  const receiver = await startReceiver({ answer: () => (failing ? { status: 503 } : { status: 200 }) });
  const endpoint = await register(receiver);
  try {
    const tickets = [];
    for (let i = 0; i < 3; i++) {
      const ticket = await report(`problem ${i}`);
      await act(mend.repKey, ticket.id, { type: "message", text: "We are on it." });
      tickets.push(ticket);
    }
    await until(() => tickets.every((t) => receiver.of(t.id).length >= 2), { what: "a failed first attempt of every event" });
    failing = false;
    await mend.restart();
    await until(() => tickets.every((t) => new Set(receiver.of(t.id).filter((d) => d.answered === 200).map((d) => d.headers["webhook-id"])).size === 2), {
      attempts: 300,
      what: "every event delivered after the restart",
    });
    for (const t of tickets) {
      const ids = receiver.of(t.id).map((d) => d.headers["webhook-id"]);
      assert.deepEqual(new Set(ids), new Set([`msg_${t.id}_1`, `msg_${t.id}_2`]), "the same ids before and after");
    }
    const listed = (await deliveries(endpoint)).filter((d) => tickets.some((t) => t.id === d.ticket_id));
    await until(async () => (await deliveries(endpoint)).filter((d) => tickets.some((t) => t.id === d.ticket_id)).every((d) => d.status === "delivered"), {
      what: "every delivery recorded delivered",
    });
    assert.equal(listed.length, 6);
  } finally {
    await unregister(endpoint);
    await receiver.stop();
  }
});
