// Black-box tests of Mend's HTTP and WebSocket API against the real built
// worker in `wrangler dev`. Every test asserts status and body.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startMend, inMinutes, listen, until } from "./support/mend.mjs";
import * as http from "./support/http.mjs";
import { bearer } from "./support/http.mjs";

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

let mend;
before(async () => (mend = await startMend()));
after(async () => mend?.stop());


const call = (method, path, options) => http.call(mend.url, method, path, options);

/** `mend_core::input::MAX_TEXT`: the longest account a customer can give, in characters. */
const MAX_TEXT = 4000;
const armchair = {
  workspace: "acme",
  what_happened: "The armchair was not in the delivery.",
  how_it_affected_you: "We had guests on Sunday and nowhere to seat them.",
  order_id: "1042",
};

async function report(body = armchair) {
  const answer = await call("POST", "/v1/reports", { body });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return { id: answer.body.ticket.id, token: answer.body.customer_token, created: answer.body };
}

const asRep = () => bearer(mend.repKey);
const command = (id, headers, body) => call("POST", `/v1/tickets/${id}/commands`, { headers, body });

describe("the recovery journey", () => {
  test("report, update with a promise, propose, and the customer confirms", async () => {
    const { id, token, created } = await report();
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.match(token, /^mend_ct_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(created.company, {
      name: "Acme Furniture",
      apology:
        "We're truly sorry. You ordered a complete living room and we let you down. We're on it now, and we'll keep you posted here until you tell us it's solved.",
    });
    assert.equal(created.ticket.status, "reported");
    assert.equal(created.ticket.last_seq, 1);
    assert.deepEqual(created.ticket.report, {
      what_happened: armchair.what_happened,
      how_it_affected_you: armchair.how_it_affected_you,
      order_id: "1042",
    });
    assert.equal(created.ticket.events[0].type, "reported");
    assert.equal(created.ticket.events[0].by, "customer");

    const promise = inMinutes(120);
    const updated = await command(id, asRep(), { type: "update", text: "Your armchair ships tomorrow.", next_update_by: promise });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.status, "acknowledged", "the first response acknowledges the report");
    assert.equal(Date.parse(updated.body.next_update_by), Date.parse(promise));
    assert.deepEqual(
      { seq: updated.body.events[1].seq, by: updated.body.events[1].by, type: updated.body.events[1].type, text: updated.body.events[1].text },
      { seq: 2, by: "rep", type: "updated", text: "Your armchair ships tomorrow." },
    );

    const proposed = await command(id, asRep(), {
      type: "propose_resolution",
      summary: "The armchair was delivered this morning.",
      prevention: "Our delivery checklist now scans every item before the van leaves.",
    });
    assert.equal(proposed.status, 200);
    assert.equal(proposed.body.status, "resolution_proposed");
    assert.deepEqual(proposed.body.resolution, {
      summary: "The armchair was delivered this morning.",
      prevention: "Our delivery checklist now scans every item before the van leaves.",
    });
    assert.equal(proposed.body.next_update_by, null);

    const confirmed = await command(id, bearer(token), { type: "confirm_solved" });
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.body.status, "solved");
    assert.equal(confirmed.body.last_seq, 4);
    assert.deepEqual(confirmed.body.events.map((e) => [e.seq, e.by, e.type]), [
      [1, "customer", "reported"],
      [2, "rep", "updated"],
      [3, "rep", "resolution_proposed"],
      [4, "customer", "confirmed_solved"],
    ]);

    const seen = await call("GET", `/v1/tickets/${id}`, { headers: bearer(token) });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body, confirmed.body);
  });

  test("not yet, with a reason, reopens the ticket", async () => {
    const { id, token } = await report();
    await command(id, asRep(), { type: "propose_resolution", summary: "Delivered.", prevention: "Checklist." });
    const answer = await command(id, bearer(token), { type: "not_yet", reason: "It came in the wrong colour." });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, "in_progress");
    assert.equal(answer.body.resolution, null);
    assert.equal(answer.body.events.at(-1).type, "reopened");
    assert.equal(answer.body.events.at(-1).reason, "It came in the wrong colour.");
  });
});

describe("only the customer can say it is solved", () => {
  test("rep_cannot_mark_solved: 403 and the ticket is unchanged", async () => {
    const { id, token } = await report();
    await command(id, asRep(), { type: "propose_resolution", summary: "Delivered.", prevention: "Checklist." });
    const before = await call("GET", `/v1/tickets/${id}`, { headers: bearer(token) });

    const attempt = await command(id, asRep(), { type: "confirm_solved" });
    assert.equal(attempt.status, 403);
    assert.deepEqual(attempt.body, {
      error: {
        code: "forbidden",
        message: "Only the customer can say whether the problem is solved. Propose a resolution and wait for their answer.",
      },
    });
    const after = await call("GET", `/v1/tickets/${id}`, { headers: bearer(token) });
    assert.deepEqual(after.body, before.body);
    assert.equal(after.body.status, "resolution_proposed");
  });

  test("there is no other command that closes a ticket", async () => {
    const { id, token } = await report();
    for (const type of ["mark_solved", "close", "resolve", "solved"]) {
      const attempt = await command(id, asRep(), { type });
      assert.equal(attempt.status, 400, type);
      assert.equal(attempt.body.error.code, "malformed_json");
      assert.match(attempt.body.error.message, /unknown variant/);
    }
    const seen = await call("GET", `/v1/tickets/${id}`, { headers: bearer(token) });
    assert.deepEqual([seen.body.status, seen.body.last_seq], ["reported", 1]);
  });

  test("customer_cannot_post_updates", async () => {
    const { id, token } = await report();
    const attempt = await command(id, bearer(token), { type: "update", text: "Hello?", next_update_by: inMinutes(60) });
    assert.equal(attempt.status, 403);
    assert.equal(attempt.body.error.code, "forbidden");
  });

  test("confirming with nothing proposed is an invalid transition", async () => {
    const { id, token } = await report();
    const attempt = await command(id, bearer(token), { type: "confirm_solved" });
    assert.equal(attempt.status, 409);
    assert.deepEqual(attempt.body, {
      error: {
        code: "invalid_transition",
        message: "The ticket is reported, so confirming the problem is solved is not possible now.",
      },
    });
  });
});

describe("the whole recovery", () => {
  const asManager = () => bearer(mend.managerKey);

  test("a question pauses the promise and the customer's answer resumes it", async () => {
    const { id, token } = await report();
    await command(id, asRep(), { type: "update", text: "Looking into it.", next_update_by: inMinutes(60) });
    const asked = await command(id, asRep(), { type: "ask", question: "Was the box damaged?" });
    assert.equal(asked.status, 200);
    assert.equal(asked.body.status, "waiting_on_customer");
    assert.equal(asked.body.question, "Was the box damaged?");
    assert.equal(asked.body.promise, null);

    const answered = await command(id, bearer(token), { type: "message", text: "No, it never arrived at all." });
    assert.equal(answered.status, 200);
    assert.equal(answered.body.status, "in_progress");
    assert.equal(answered.body.question, null);
    assert.equal(answered.body.promise.missed, false);
    const resumedIn = Date.parse(answered.body.promise.due) - Date.now();
    assert.ok(resumedIn > 50 * 60_000 && resumedIn <= 60 * 60_000, `resumed promise due in ${resumedIn} ms`);
  });

  test("escalation is recorded once, with its reason", async () => {
    const { id } = await report();
    const escalated = await command(id, asRep(), { type: "escalate", reason: "other_department_must_act" });
    assert.equal(escalated.status, 200);
    assert.equal(escalated.body.escalation.reason, "other_department_must_act");
    const again = await command(id, asRep(), { type: "escalate", reason: "manager_adds_value" });
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, {
      error: { code: "invalid_transition", message: "A manager has already been brought in on this ticket." },
    });
    const byManager = await command(id, asManager(), { type: "escalate", reason: "manager_adds_value" });
    assert.equal(byManager.status, 403);
  });

  test("a rep's make-good above the cap needs a manager; only the customer accepts it", async () => {
    const { id, token } = await report();
    const offer = { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 50_000 }, note: "For the trouble." };
    const byRep = await command(id, asRep(), offer);
    assert.equal(byRep.status, 403);
    assert.deepEqual(byRep.body, {
      error: { code: "needs_manager", message: "Make-goods above $250 need a manager: escalate, and a manager can make the offer." },
    });
    const byManager = await command(id, asManager(), offer);
    assert.equal(byManager.status, 200);
    assert.deepEqual(byManager.body.make_goods.map((o) => [o.kind, o.value.minor_units, o.status]), [["credit", 50_000, "pending"]]);

    const repAccepts = await command(id, asRep(), { type: "accept_make_good" });
    assert.equal(repAccepts.status, 403);
    assert.equal(repAccepts.body.error.message, "Only the customer can accept or decline a make-good.");
    const accepted = await command(id, bearer(token), { type: "accept_make_good" });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.make_goods[0].status, "accepted");
    const twice = await command(id, bearer(token), { type: "accept_make_good" });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.message, "There is no make-good waiting for an answer.");
  });

  test("the customer rates the recovery after it is solved, once", async () => {
    const { id, token } = await report();
    const early = await command(id, bearer(token), { type: "rate", score: 5 });
    assert.equal(early.status, 409);
    await command(id, asRep(), { type: "propose_resolution", summary: "Delivered.", prevention: "Scanned loading." });
    await command(id, bearer(token), { type: "confirm_solved" });
    const rated = await command(id, bearer(token), { type: "rate", score: 4, comment: "Fixed quickly, thank you." });
    assert.equal(rated.status, 200);
    assert.deepEqual(rated.body.rating, { score: 4, comment: "Fixed quickly, thank you." });
    const again = await command(id, bearer(token), { type: "rate", score: 1 });
    assert.equal(again.status, 409);
    const outOfRange = await command(id, bearer(token), { type: "rate", score: 9 });
    assert.equal(outOfRange.status, 422);
    assert.equal(outOfRange.body.error.field, "score");
  });

  test("a withdrawn report is final and a new message asks for a new report", async () => {
    const { id, token } = await report();
    const withdrawn = await command(id, bearer(token), { type: "withdraw" });
    assert.equal(withdrawn.status, 200);
    assert.equal(withdrawn.body.status, "withdrawn");
    const message = await command(id, bearer(token), { type: "message", text: "Actually, one more thing." });
    assert.equal(message.status, 409);
    assert.deepEqual(message.body, {
      error: { code: "invalid_transition", message: "This ticket is closed. If something else is wrong, please start a new report." },
    });
  });

  test("only Mend itself marks a promise missed", async () => {
    const { id } = await report();
    await command(id, asRep(), { type: "update", text: "Soon.", next_update_by: inMinutes(60) });
    const attempt = await command(id, asManager(), { type: "mark_promise_missed" });
    assert.equal(attempt.status, 403);
    assert.equal(attempt.body.error.message, "Only Mend itself records a missed promise, when its time has passed.");
  });

  test("a promise's alarm records it missed when no update came in time", async () => {
    const { id, token } = await report();
    const due = new Date(Date.now() + 1500).toISOString();
    const updated = await command(id, asRep(), { type: "update", text: "Back to you in a moment.", next_update_by: due });
    assert.equal(updated.status, 200);
    const missed = await until(
      async () => {
        const seen = await call("GET", `/v1/tickets/${id}/events?since=2`, { headers: bearer(token) });
        return seen.body.events.find((e) => e.type === "promise_missed");
      },
      { attempts: 200, every: 50, what: "the promise_missed event" },
    );
    assert.deepEqual({ ...missed, at: undefined }, { seq: 3, at: undefined, by: "system", type: "promise_missed", due: updated.body.promise.due });
    const seen = await call("GET", `/v1/tickets/${id}`, { headers: bearer(token) });
    assert.deepEqual(seen.body.promise, { due: updated.body.promise.due, missed: true });
    assert.deepEqual(seen.body.promises, { made: 1, kept: 0, missed: 1 });
  });
});

describe("who may see a ticket", () => {
  test("a bad token gets the same 404 as a missing ticket", async () => {
    const { id } = await report();
    const wrongToken = await call("GET", `/v1/tickets/${id}`, { headers: bearer("mend_ct_" + "A".repeat(43)) });
    const missing = await call("GET", `/v1/tickets/${"0".repeat(32)}`, { headers: bearer("mend_ct_" + "A".repeat(43)) });
    assert.equal(wrongToken.status, 404);
    assert.deepEqual(wrongToken.body, {
      error: { code: "not_found", message: "No ticket with this id was found for these credentials." },
    });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, wrongToken.body);
  });

  test("one customer's token does not open another's ticket", async () => {
    const first = await report();
    const second = await report();
    const attempt = await call("GET", `/v1/tickets/${second.id}`, { headers: bearer(first.token) });
    assert.equal(attempt.status, 404);
  });

  test("no credentials is 401, an unknown rep key is 401", async () => {
    const { id } = await report();
    const none = await call("GET", `/v1/tickets/${id}`);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, "unauthenticated");
    const unknown = await call("GET", `/v1/tickets/${id}`, { headers: bearer("mend_rk_nope") });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, { error: { code: "unauthenticated", message: "This rep key is unknown or was revoked." } });
  });
});

describe("bad input gets a clear error and changes nothing", () => {
  test("malformed JSON is 400 with a clear message", async () => {
    const answer = await call("POST", "/v1/reports", { raw: "{not json" });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, "malformed_json");
    assert.match(answer.body.error.message, /^The request body is not valid JSON for this request: /);
  });

  test("an oversized body is 413", async () => {
    const answer = await call("POST", "/v1/reports", { body: { ...armchair, what_happened: "x".repeat(70_000) } });
    assert.equal(answer.status, 413);
    assert.deepEqual(answer.body, {
      error: { code: "payload_too_large", message: "The request body is larger than 65536 bytes." },
    });
  });

  test("a blank report is 422 naming the field", async () => {
    const answer = await call("POST", "/v1/reports", { body: { ...armchair, what_happened: "   " } });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body, {
      error: { code: "validation", message: "What happened is required.", field: "what_happened", problem: "missing" },
    });
  });

  test("a report too long for its field is 422 naming the field, the problem and the limit", async () => {
    const answer = await call("POST", "/v1/reports", { body: { ...armchair, how_it_affected_you: "é".repeat(MAX_TEXT + 1) } });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body, {
      error: {
        code: "validation",
        message: `How it affected you is too long: please keep it under ${MAX_TEXT} characters.`,
        field: "how_it_affected_you",
        problem: "too_long",
        max: MAX_TEXT,
      },
    });
  });

  test("an unknown workspace is 422 naming the field", async () => {
    const answer = await call("POST", "/v1/reports", { body: { ...armchair, workspace: "globex" } });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body, {
      error: { code: "validation", message: "The workspace must be a workspace that uses Mend.", field: "workspace", problem: "malformed" },
    });
  });

  test("a promise in the past is 422 and the ticket is unchanged", async () => {
    const { id, token } = await report();
    const answer = await command(id, asRep(), { type: "update", text: "Soon.", next_update_by: inMinutes(-5) });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body, {
      error: {
        code: "validation",
        message: "The next-update promise must be a time in the future.",
        field: "next_update_by",
        problem: "malformed",
      },
    });
    const seen = await call("GET", `/v1/tickets/${id}`, { headers: bearer(token) });
    assert.equal(seen.body.last_seq, 1);
    assert.equal(seen.body.status, "reported");
  });

  test("a body that is not JSON is 415", async () => {
    const response = await fetch(mend.url + "/v1/reports", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "hi" });
    assert.equal(response.status, 415);
    assert.equal((await response.json()).error.code, "unsupported_media_type");
  });

  test("a wrong method is 405 with Allow", async () => {
    const answer = await call("GET", "/v1/reports");
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.get("allow"), "POST");
    assert.equal(answer.body.error.code, "method_not_allowed");
  });

  test("a command without credentials is 401 before its body is even read", async () => {
    const { id } = await report();
    const answer = await call("POST", `/v1/tickets/${id}/commands`, { raw: "{not json" });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, "unauthenticated");
  });

  test("a make-good of nothing is 422 and leaves room for a real one", async () => {
    const { id } = await report();
    const zero = await command(id, bearer(mend.managerKey), { type: "offer_make_good", kind: "gift_card", value: { currency: "USD" } });
    assert.equal(zero.status, 422);
    assert.equal(zero.body.error.field, "minor_units");
    const real = await command(id, bearer(mend.managerKey), { type: "offer_make_good", kind: "gift_card", value: { currency: "USD", minor_units: 2000 } });
    assert.equal(real.status, 200);
  });

  test("the live address without a WebSocket upgrade is 426", async () => {
    const { id, token } = await report();
    const answer = await call("GET", `/v1/tickets/${id}/live`, { headers: bearer(token) });
    assert.equal(answer.status, 426);
    assert.equal(answer.body.error.code, "upgrade_required");
  });

  test("API answers, which carry tokens and customers' words, are never cached", async () => {
    const created = await call("POST", "/v1/reports", { body: armchair });
    assert.equal(created.headers.get("cache-control"), "no-store");
    const seen = await call("GET", `/v1/tickets/${created.body.ticket.id}`, { headers: bearer(created.body.customer_token) });
    assert.equal(seen.status, 200);
    assert.equal(seen.headers.get("cache-control"), "no-store");
    assert.equal(seen.headers.get("content-type"), "application/json");
  });

  test("an unknown address is 404 in the error shape", async () => {
    const answer = await call("GET", "/v1/nothing-here");
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.body, { error: { code: "not_found", message: "There is nothing at this address." } });
  });
});

describe("where an answer's time went", () => {
  /** The D1 round trips (and those that wrote), object calls and total an answer's `Server-Timing` names. */
  function serverTiming(answer) {
    const header = answer.headers.get("server-timing");
    const match = header?.match(
      /^d1;desc="(\d+) round trips?, (\d+) writes?";dur=(\d+\.\d), do;desc="(\d+) calls?";dur=(\d+\.\d), total;dur=(\d+\.\d)$/,
    );
    assert.ok(match, `Server-Timing: ${header}`);
    const [d1, writes, d1Ms, objects, objectMs, total] = match.slice(1).map(Number);
    assert.ok(d1Ms <= total && objectMs <= total, header);
    return { d1, writes, objects };
  }

  test("every answer names its D1 round trips, the object's among them, and its object calls", async () => {
    assert.deepEqual(serverTiming(await call("GET", "/v1/health")), { d1: 0, writes: 0, objects: 0 });
    const refused = await call("GET", "/v1/queue");
    assert.equal(refused.status, 401);
    assert.deepEqual(serverTiming(refused), { d1: 0, writes: 0, objects: 0 });
    // The workspace's settings, origins and identity keys with the rate-limit hits in one batch;
    // the ticket's object keeps the log, and D1 hears of it after the answer.
    const created = await call("POST", "/v1/reports", { body: armchair });
    assert.equal(created.status, 201);
    assert.deepEqual(serverTiming(created), { d1: 1, writes: 1, objects: 1 });
    // With an Idempotency-Key, its claim is in the same batch.
    const keyed = await call("POST", "/v1/reports", { body: armchair, headers: { "Idempotency-Key": "timing-1" } });
    assert.equal(keyed.status, 201);
    assert.deepEqual(serverTiming(keyed), { d1: 1, writes: 1, objects: 1 });
    const { id } = created.body.ticket;
    // The customer's token is checked by the ticket's object, which answers from its own log.
    const seen = await call("GET", `/v1/tickets/${id}`, { headers: bearer(created.body.customer_token) });
    assert.equal(seen.status, 200);
    assert.deepEqual(serverTiming(seen), { d1: 0, writes: 0, objects: 1 });
    // The rep's key (one read); the command, its Idempotency-Key and its event are the object's.
    const updated = await command(id, { ...asRep(), "Idempotency-Key": "timing-2" }, { type: "update", text: "We are on it.", next_update_by: inMinutes(60) });
    assert.equal(updated.status, 200);
    assert.deepEqual(serverTiming(updated), { d1: 1, writes: 0, objects: 1 });
    assert.equal(updated.headers.get("mend-d1"), null, "the object's own report stays inside Mend");
    assert.equal(updated.headers.get("mend-origin"), null);
  });
});

describe("live updates", () => {
  test("a rep's update reaches an open socket, after the backlog, in order", async () => {
    const { id, token } = await report();
    const live = listen(mend.url, id, token, 0);
    await live.opened;
    assert.equal(live.socket.protocol, "mend.v1");
    await until(() => live.received.length === 1, { what: "the backlog" });
    await command(id, asRep(), { type: "update", text: "Found it.", next_update_by: inMinutes(60) });
    await until(() => live.received.length === 2, { what: "the live update" });
    assert.deepEqual(live.received.map((e) => [e.seq, e.type]), [[1, "reported"], [2, "updated"]]);
    assert.equal(live.received[1].text, "Found it.");
    live.socket.close();
  });

  test("reconnect_resumes_from_last_sequence", async () => {
    const { id, token } = await report();
    await command(id, asRep(), { type: "update", text: "One.", next_update_by: inMinutes(60) });
    await command(id, asRep(), { type: "update", text: "Two.", next_update_by: inMinutes(60) });
    const live = listen(mend.url, id, token, 2);
    await live.opened;
    await command(id, asRep(), { type: "update", text: "Three.", next_update_by: inMinutes(60) });
    await until(() => live.received.length === 2, { what: "seq 3 and 4" });
    assert.deepEqual(live.received.map((e) => [e.seq, e.text]), [[3, "Two."], [4, "Three."]]);
    live.socket.close();

    const polled = await call("GET", `/v1/tickets/${id}/events?since=3`, { headers: bearer(token) });
    assert.equal(polled.status, 200);
    assert.deepEqual(polled.body.events.map((e) => e.seq), [4]);
  });

  test("a socket with a wrong token is refused", async () => {
    const { id } = await report();
    const live = listen(mend.url, id, "mend_ct_wrong", 0);
    await assert.rejects(live.opened, /WebSocket failed/);
  });
});

describe("the widget frame", () => {
  test("is served with a strict CSP that lets only the workspace's origins frame it", async () => {
    const response = await fetch(`${mend.url}/w/acme?order=1042`);
    assert.equal(response.status, 200);
    const policy = response.headers.get("content-security-policy");
    assert.doesNotMatch(policy, /unsafe-inline/);
    assert.match(policy, new RegExp(`frame-ancestors 'self' .*${mend.hostUrl.replace(/[.:/]/g, "\\$&")}`));
    // The inline boot script and style are allowed by their hashes, and by nothing broader.
    const page = await response.text();
    const hash = (text) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const script = page.match(/<script type="module">([\s\S]*?)<\/script>/)[1];
    const style = page.match(/<style>([\s\S]*?)<\/style>/)[1];
    assert.match(policy, new RegExp(`script-src 'self' 'wasm-unsafe-eval' ${escape(hash(script))};`));
    assert.match(policy, new RegExp(`style-src ${escape(hash(style))};`));
    // The workspace's public config travels inside the page, so the widget needs no request for it.
    const config = JSON.parse(page.match(/<script type="application\/json" id="mend-config">([\s\S]*?)<\/script>/)[1]);
    assert.deepEqual([config.workspace, config.name, config.locale, config.currency], ["acme", "Acme Furniture", "en", "USD"]);
  });

  test("the frame speaks the language and theme the page asks for", async () => {
    const page = await (await fetch(`${mend.url}/w/acme?locale=de&theme=dark`)).text();
    assert.match(page, /<html lang="de" dir="ltr" data-theme="dark">/);
    const fallback = await (await fetch(`${mend.url}/w/acme?locale=not-a-locale&theme=neon`)).text();
    assert.match(fallback, /<html lang="en" dir="ltr">/);
  });

  test("an unknown workspace has no frame", async () => {
    const answer = await call("GET", "/w/globex");
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error.code, "not_found");
  });
});

describe("webhook endpoints", () => {
  const hooks = "/v1/workspaces/acme/webhooks";
  const asManager = () => bearer(mend.managerKey);

  test("only a public https:// address is an endpoint: private, loopback and link-local hosts, userinfo and other schemes get 422 naming url", async () => {
    // This Mend runs without WEBHOOKS_ALLOW_LOOPBACK, as production does.
    const refused = [
      "http://10.0.0.1/x",
      "https://127.0.0.1/",
      "http://127.0.0.1:8787/hook",
      "https://[::1]/",
      "https://169.254.169.254/latest/meta-data",
      "https://192.168.0.10/hook",
      "https://localhost/hook",
      "https://user:pw@hooks.example.com/",
      "ftp://hooks.example.com/x",
      "hooks.example.com/x",
    ];
    for (const url of refused) {
      const answer = await call("POST", hooks, { headers: asManager(), body: { url } });
      assert.equal(answer.status, 422, url);
      assert.equal(answer.body.error.code, "validation", url);
      assert.equal(answer.body.error.field, "url", url);
    }
    const listed = await call("GET", hooks, { headers: asManager() });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.endpoints, [], "nothing refused was registered");
    const missing = await call("POST", hooks, { headers: asManager(), body: { description: "no url" } });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.error.field, "url");
    const unknownType = await call("POST", hooks, { headers: asManager(), body: { url: "https://hooks.example.com/m", event_types: ["ticket.exploded"] } });
    assert.equal(unknownType.status, 422);
    assert.equal(unknownType.body.error.field, "event_types");
  });

  test("a rep key can neither list, register, change nor replay endpoints (403), and a key of another workspace learns nothing (404)", async () => {
    const created = await call("POST", hooks, { headers: asManager(), body: { url: "https://hooks.example.com/mend", description: "CRM" } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.endpoint.id;
    assert.equal(created.body.endpoint.url, "https://hooks.example.com/mend");
    assert.equal(created.body.endpoint.event_types, null);
    try {
      const rep = bearer(mend.repKey);
      const attempts = [
        ["GET", hooks],
        ["POST", hooks, { url: "https://hooks.example.com/rep" }],
        ["GET", `${hooks}/${id}`],
        ["PATCH", `${hooks}/${id}`, { enabled: false }],
        ["DELETE", `${hooks}/${id}`],
        ["POST", `${hooks}/${id}/secret`, {}],
        ["POST", `${hooks}/${id}/test`, {}],
        ["GET", `${hooks}/${id}/deliveries`],
        ["POST", `${hooks}/${id}/replay`, { since: "2026-01-01T00:00:00Z" }],
        ["POST", `${hooks}/${id}/deliveries/1/replay`, {}],
      ];
      for (const [method, path, body] of attempts) {
        const answer = await call(method, path, { headers: rep, body });
        assert.equal(answer.status, 403, `${method} ${path}`);
        assert.equal(answer.body.error.code, "forbidden");
        assert.ok(!JSON.stringify(answer.body).includes("whsec_"));
      }
      const still = await call("GET", `${hooks}/${id}`, { headers: asManager() });
      assert.equal(still.status, 200);
      assert.equal(still.body.enabled, true, "the rep changed nothing");
      assert.ok(!JSON.stringify(still.body).includes("whsec_"), "a secret is shown once, at registration");
      const unknown = await call("GET", `${hooks}/ep_0000000000000000`, { headers: asManager() });
      assert.equal(unknown.status, 404);
      const badSince = await call("POST", `${hooks}/${id}/replay`, { headers: asManager(), body: { since: "yesterday" } });
      assert.equal(badSince.status, 422);
      assert.equal(badSince.body.error.field, "since");
      const badOverlap = await call("POST", `${hooks}/${id}/secret`, { headers: asManager(), body: { overlap_seconds: 604801 } });
      assert.equal(badOverlap.status, 422);
      assert.equal(badOverlap.body.error.field, "overlap_seconds");
    } finally {
      assert.equal((await call("DELETE", `${hooks}/${id}`, { headers: asManager() })).status, 204);
    }
  });
});
