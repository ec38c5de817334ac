// What a company's developer meets in the first hour, against the README and
// the OpenAPI document only: the request the document allows is taken, the
// one it does not is refused with Mend's JSON error, and a refusal changes
// nothing. Black-box, against the real built worker in `wrangler dev`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { startMend, command, listen, until } from "./support/mend.mjs";

let mend;
before(async () => (mend = await startMend()));
after(async () => mend?.stop());

const bearer = (token) => ({ Authorization: `Bearer ${token}` });

/** One request as any HTTP client may send it — any method, any headers — and Mend's answer. */
function send(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, mend.url);
    const req = request(url, { method, headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text, body: text && res.headers["content-type"]?.startsWith("application/json") ? JSON.parse(text) : null }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
  });
}

async function report() {
  const answer = await send("POST", "/v1/reports", { body: { workspace: "acme", what_happened: "The armchair was not in the delivery." } });
  assert.equal(answer.status, 201, answer.text);
  return { id: answer.body.ticket.id, token: answer.body.customer_token };
}

const workspace = async () => (await send("GET", "/v1/workspaces/acme", { headers: bearer(mend.managerKey) })).body;

describe("sequence numbers are whole numbers of any size", () => {
  test("a since past 2^53 is nothing new, and past 2^64 - 1 is refused naming since", async () => {
    const { id, token } = await report();
    for (const since of ["9007199254740992", "9007199254740993", "18446744073709551615"]) {
      const answer = await send("GET", `/v1/tickets/${id}/events?since=${since}`, { headers: bearer(token) });
      assert.equal(answer.status, 200, `${since}: ${answer.text}`);
      assert.deepEqual(answer.body, { events: [] });
    }
    const all = await send("GET", `/v1/tickets/${id}/events?since=0`, { headers: bearer(token) });
    assert.deepEqual(all.body.events.map((event) => event.seq), [1]);
    const past = await send("GET", `/v1/tickets/${id}/events?since=18446744073709551616`, { headers: bearer(token) });
    assert.equal(past.status, 422, past.text);
    assert.equal(past.body.error.field, "since");
    assert.equal(past.body.error.problem, "malformed");
  });

  test("the live socket takes a since past the log: it replays nothing, then streams what comes", async () => {
    const { id, token } = await report();
    const live = listen(mend.url, id, token, "18446744073709551615");
    await live.opened;
    await command(mend, id, { type: "message", text: "We are looking into it." });
    await until(() => live.received.length === 1, { what: "the new event" });
    assert.deepEqual(live.received.map((event) => [event.seq, event.text]), [[2, "We are looking into it."]]);
    live.socket.close();
    await live.closed;
    const refused = await send("GET", `/v1/tickets/${id}/live?since=18446744073709551616`, {
      headers: { ...websocketHandshake(), "Sec-WebSocket-Protocol": `mend.v1, mend.auth.${token}` },
    });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.field, "since");
  });
});

/** The headers a WebSocket client sends to open a connection (RFC 6455). */
function websocketHandshake() {
  return { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" };
}

describe("every body is a JSON object", () => {
  test("an array where an object belongs is 400 and changes nothing", async () => {
    const before = await workspace();
    const keysBefore = (await send("GET", "/v1/workspaces/acme/keys", { headers: bearer(mend.managerKey) })).body.keys;
    const { id, token } = await report();
    const attempts = [
      ["PATCH", "/v1/workspaces/acme", mend.managerKey, ["Renamed by an array"]],
      ["POST", "/v1/workspaces/acme/keys", mend.managerKey, ["manager", "x"]],
      ["POST", "/v1/reports", undefined, ["acme", "The armchair was not in the delivery."]],
      ["POST", `/v1/tickets/${id}/commands`, token, ["withdraw"]],
      ["POST", "/v1/workspaces", mend.adminToken, "\"a string\""],
      ["PATCH", "/v1/workspaces/acme", mend.managerKey, "42"],
    ];
    for (const [method, path, credential, body] of attempts) {
      const answer = await send(method, path, { headers: credential ? bearer(credential) : {}, body });
      const sent = typeof body === "string" ? body : JSON.stringify(body);
      assert.equal(answer.status, 400, `${method} ${path} ${sent}: ${answer.text}`);
      assert.deepEqual(answer.body, {
        error: { code: "malformed_json", message: "The request body is not valid JSON for this request: the body must be a JSON object, {…}" },
      });
    }
    const nested = [
      ["POST", "/v1/reports", undefined, { workspace: "acme", what_happened: "The lamp is broken.", cost: [null, null] }, "cost"],
      ["POST", `/v1/tickets/${id}/commands`, mend.managerKey, { type: "offer_make_good", kind: "refund", value: ["USD", 1500] }, "value"],
    ];
    for (const [method, path, credential, body, key] of nested) {
      const answer = await send(method, path, { headers: credential ? bearer(credential) : {}, body });
      assert.equal(answer.status, 400, `${method} ${path} ${JSON.stringify(body)}: ${answer.text}`);
      assert.deepEqual(answer.body, {
        error: { code: "malformed_json", message: `The request body is not valid JSON for this request: '${key}' must be a JSON object, {…}, not an array` },
      });
    }
    assert.deepEqual(await workspace(), before, "the workspace is as it was");
    const keysAfter = (await send("GET", "/v1/workspaces/acme/keys", { headers: bearer(mend.managerKey) })).body.keys;
    assert.deepEqual(keysAfter, keysBefore, "no key was made");
    const ticket = await send("GET", `/v1/tickets/${id}`, { headers: bearer(token) });
    assert.equal(ticket.body.status, "reported", "the ticket was not withdrawn");
  });

  test("a body that is not JSON makes no identity secret", async () => {
    const count = async () => (await workspace()).identity_keys.length;
    const before = await count();
    const answer = await send("POST", "/v1/workspaces/acme/identity-keys", { headers: bearer(mend.managerKey), body: "not json" });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.error.code, "malformed_json");
    const unknown = await send("POST", "/v1/workspaces/acme/identity-keys", { headers: bearer(mend.managerKey), body: { kid: "mine" } });
    assert.equal(unknown.status, 422, unknown.text);
    assert.deepEqual([unknown.body.error.field, unknown.body.error.problem], ["kid", "unknown"]);
    assert.equal(await count(), before, "no secret was issued");
    for (const body of [{}, undefined]) {
      const made = await send("POST", "/v1/workspaces/acme/identity-keys", { headers: bearer(mend.managerKey), body });
      assert.equal(made.status, 201, made.text);
      assert.match(made.body.secret, /^mend_is_/);
    }
    assert.equal(await count(), before + 2);
  });

  test("an unknown key in a settings change is 422 naming it, and nothing changes", async () => {
    const before = await workspace();
    const answer = await send("PATCH", "/v1/workspaces/acme", { headers: bearer(mend.managerKey), body: { name: "Acme Renamed", color: "#ff0000" } });
    assert.equal(answer.status, 422, answer.text);
    assert.deepEqual(answer.body, {
      error: {
        code: "validation",
        message: "'color' is not a key this request takes: check its spelling against the API's document.",
        field: "color",
        problem: "unknown",
      },
    });
    assert.deepEqual(await workspace(), before);
  });

  test("whole numbers written with a decimal point are taken as the numbers they are", async () => {
    // JSON.stringify would write 189900.0 as 189900: the bodies are sent as text, as a client in another language writes them.
    const again = await report();
    const floated = await send("POST", `/v1/tickets/${again.id}/commands`, {
      headers: bearer(mend.managerKey),
      body: '{"type": "offer_make_good", "kind": "refund", "value": {"currency": "USD", "minor_units": 189900.0}}',
    });
    assert.equal(floated.status, 200, floated.text);
    assert.equal(floated.body.make_goods.at(-1).value.minor_units, 189900);
    const fraction = await send("POST", `/v1/tickets/${again.id}/commands`, {
      headers: bearer(again.token),
      body: '{"type": "rate", "score": 2.5}',
    });
    assert.equal(fraction.status, 400, fraction.text);
    assert.equal(fraction.body.error.code, "malformed_json");
    const reported = await send("POST", "/v1/reports", {
      body: '{"workspace": "acme", "what_happened": "The lamp is broken.", "cost": {"hours_lost": 3.0, "money": {"currency": "EUR", "minor_units": 4000.0}}}',
    });
    assert.equal(reported.status, 201, reported.text);
    assert.deepEqual(reported.body.ticket.report.cost, { money: { currency: "EUR", minor_units: 4000 }, hours_lost: 3, missed_event: false });
    const policy = (await workspace()).make_good_policy;
    const [low, high] = policy.harm_bp;
    const range = JSON.stringify({ make_good_policy: { ...policy, harm_bp: "RANGE" } }).replace('"RANGE"', `[${low}.0, ${high}.0]`);
    const patched = await send("PATCH", "/v1/workspaces/acme", { headers: bearer(mend.managerKey), body: range });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.body.make_good_policy.harm_bp, [low, high]);
  });
});

describe("methods", () => {
  test("a method an address does not take is 405 with Allow, never served as GET", async () => {
    const { id, token } = await report();
    for (const method of ["QUERY", "PROPFIND", "LOCK", "MKCOL", "SEARCH", "PURGE", "PUT"]) {
      for (const [path, allow] of [
        ["/v1/health", "GET"],
        [`/v1/tickets/${id}`, "GET"],
        ["/v1/workspaces/acme", "GET, PATCH"],
        ["/w/acme", "GET"],
      ]) {
        const answer = await send(method, path, { headers: bearer(token) });
        assert.equal(answer.status, 405, `${method} ${path}: ${answer.text}`);
        assert.equal(answer.headers.allow, allow, `${method} ${path}`);
        assert.equal(answer.body.error.code, "method_not_allowed");
      }
    }
    const nowhere = await send("PROPFIND", "/v1/nothing-here");
    assert.equal(nowhere.status, 404);
  });
});

describe("credentials a route does not take", () => {
  test("the admin token on a ticket route is 401 unauthenticated, saying so", async () => {
    const { id } = await report();
    const admin = bearer(mend.adminToken);
    const answers = [
      await send("GET", `/v1/tickets/${id}`, { headers: admin }),
      await send("GET", `/v1/tickets/${id}/events`, { headers: admin }),
      await send("POST", `/v1/tickets/${id}/commands`, { headers: admin, body: { type: "message", text: "Hello" } }),
      await send("GET", `/v1/tickets/${id}/live`, { headers: { ...admin, ...websocketHandshake() } }),
    ];
    for (const answer of answers) {
      assert.equal(answer.status, 401, answer.text);
      assert.deepEqual(answer.body, {
        error: {
          code: "unauthenticated",
          message: "The admin token is not accepted on tickets: use the customer's token or identity token, or a rep key.",
        },
      });
    }
    const wrong = await send("GET", `/v1/tickets/${id}`, { headers: bearer("mend_ct_not-this-tickets-token") });
    assert.equal(wrong.status, 404, "a wrong customer token still learns nothing");
  });

  test("a signed-in customer's listing takes an identity token only", async () => {
    const { token } = await report();
    for (const credential of [token, mend.repKey, mend.adminToken]) {
      const answer = await send("GET", "/v1/customers/me/tickets", { headers: bearer(credential) });
      assert.equal(answer.status, 401, answer.text);
      assert.deepEqual(answer.body, {
        error: { code: "unauthenticated", message: "This needs the customer's identity token as 'Authorization: Bearer'." },
      });
    }
    const forged = await send("GET", "/v1/customers/me/tickets", { headers: bearer("eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJhY21lIn0.c2ln") });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, "invalid_identity", "a JWT that does not hold is still invalid_identity");
  });
});

describe("WebSocket handshakes", () => {
  test("no upgrade is Mend's JSON 426; a broken handshake is the runtime's plain answer, as documented", async () => {
    const { id, token } = await report();
    for (const [path, credential] of [[`/v1/tickets/${id}/live`, token], ["/v1/queue/live", mend.repKey]]) {
      const plain = await send("GET", path, { headers: bearer(credential) });
      assert.equal(plain.status, 426, `${path}: ${plain.text}`);
      assert.match(plain.headers["content-type"], /^application\/json/);
      assert.equal(plain.body.error.code, "upgrade_required");
      assert.equal(plain.headers["sec-websocket-version"], "13");
      // With `Upgrade: websocket`, the runtime checks the handshake before Mend's code runs.
      const noVersion = await send("GET", path, { headers: { Connection: "Upgrade", Upgrade: "websocket", ...bearer(credential) } });
      assert.equal(noVersion.status, 426, noVersion.text);
      assert.match(noVersion.headers["content-type"], /^text\/plain/);
      assert.equal(noVersion.headers["sec-websocket-version"], "13");
      const noKey = await send("GET", path, { headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", ...bearer(credential) } });
      assert.equal(noKey.status, 400, noKey.text);
      assert.match(noKey.headers["content-type"], /^text\/plain/);
    }
  });
});

describe("the browser's own requests", () => {
  test("/favicon.ico is Mend's icon", async () => {
    const response = await fetch(`${mend.url}/favicon.ico`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type"), /icon/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 1, 0], "an ICO file");
  });
});

describe("the admin token's length rule", () => {
  test("an admin token under 32 characters turns the admin API off, and the log says why", async () => {
    const short = await startMend({ vars: { ADMIN_TOKEN: "mend_admin_too_short" } });
    try {
      const answer = await fetch(`${short.url}/v1/workspaces/acme`, { headers: bearer("mend_admin_too_short") });
      assert.equal(answer.status, 401);
      assert.equal((await answer.json()).error.code, "unauthenticated");
      await until(() => short.log().includes("Mend's admin API is off: the ADMIN_TOKEN secret is only 20 characters long."), { what: "the log to say why" });
    } finally {
      await short.stop();
    }
  });
});
