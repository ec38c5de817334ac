// Black-box tests of what keeps Mend's API trustworthy beyond the ticket
// lifecycle: workspaces and their keys, who may reach what (rep keys,
// sessions, identity tokens and their forgeries), allowed origins (CORS),
// Idempotency-Key, report rate limits, the queue and the widget config —
// against the real built worker in `wrangler dev`. Every test asserts status
// and body, and where a request is refused, that nothing changed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startMend, inMinutes, until } from "./support/mend.mjs";
import { signIdentity, tamper } from "./support/jwt.mjs";
import * as http from "./support/http.mjs";
import { assertError, bearer } from "./support/http.mjs";

let mend;
before(async () => {
  mend = await startMend();
  await fileEarly();
});
after(async () => mend?.stop());


const call = (method, path, { url = mend.url, ...options } = {}) => http.call(url, method, path, options);

const sofa = (workspace = "acme") => ({ workspace, what_happened: "The sofa arrived with a torn cushion." });

async function report(body = sofa(), headers = {}) {
  const answer = await call("POST", "/v1/reports", { body, headers });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return { id: answer.body.ticket.id, token: answer.body.customer_token };
}

const asAdmin = () => bearer(mend.adminToken);

// A report whose first answer is due a minute after it, filed before the
// other tests run, so that its alarm comes due while they do; the last test
// waits for what the alarm records rather than for the clock.
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
let early;
async function fileEarly() {
  const { manager, rep } = await workspaceWithKeys("initrode");
  const always = Object.fromEntries(WEEKDAYS.map((day) => [day, [{ opens: "00:00", closes: "24:00" }]]));
  const opening_hours = { time_zone: "UTC", week: always, first_answer_minutes: 1 };
  const set = await call("PATCH", "/v1/workspaces/initrode", { headers: bearer(manager), body: { opening_hours } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const filed = await call("POST", "/v1/reports", { body: sofa("initrode") });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  early = { filed: filed.body, manager, rep };
}
const queue = (key, filter) => call("GET", `/v1/queue${filter ? `?filter=${filter}` : ""}`, { headers: bearer(key) });

/** Creates workspace `id` as Mend's admin and a manager and a rep key for it. */
async function workspaceWithKeys(id, origins = []) {
  const created = await call("POST", "/v1/workspaces", {
    headers: asAdmin(),
    body: { id, name: `${id} Ltd`, apology: "We're sorry: we got this wrong.", origins },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const key = async (role) => {
    const answer = await call("POST", `/v1/workspaces/${id}/keys`, { headers: asAdmin(), body: { role, label: role } });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body.key;
  };
  return { manager: await key("manager"), rep: await key("rep") };
}

describe("workspaces, keys and settings", () => {
  test("the admin creates a workspace; nobody else can, and an id is taken once", async () => {
    const body = { id: "initech", name: "Initech", apology: "We're sorry we let you down.", locale: "de", colour: "#AA3300" };
    assertError(await call("POST", "/v1/workspaces", { body }), 401, "unauthenticated");
    assertError(await call("POST", "/v1/workspaces", { body, headers: bearer(mend.managerKey) }), 401, "unauthenticated");
    assertError(await call("POST", "/v1/workspaces", { body, headers: bearer("wrong-" + mend.adminToken) }), 401, "unauthenticated");

    const created = await call("POST", "/v1/workspaces", { body, headers: asAdmin() });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      { ...created.body, make_good_policy: undefined, opening_hours: undefined },
      { id: "initech", name: "Initech", apology: body.apology, colour: "#aa3300", locale: "de", currency: "USD", origins: [], rep_names: false, voice_terms: [], record_public: false, follow_up_days: 7, identity_keys: [], make_good_policy: undefined, opening_hours: undefined },
    );
    assert.equal(created.body.make_good_policy.currency, "USD");
    const weekday = [{ opens: "09:00", closes: "17:00" }];
    assert.deepEqual(created.body.opening_hours, {
      time_zone: "Europe/London",
      week: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday, saturday: [], sunday: [] },
      closed_dates: [],
      first_answer_minutes: 120,
    });
    assertError(await call("POST", "/v1/workspaces", { body, headers: asAdmin() }), 409, "already_exists");

    const config = await call("GET", "/v1/workspaces/initech/widget-config");
    assert.equal(config.status, 200);
    assert.deepEqual(config.body, { workspace: "initech", name: "Initech", colour: "#aa3300", on_colour: "#ffffff", apology: body.apology, locale: "de", currency: "USD" });
    assert.equal(config.headers.get("cache-control"), "public, max-age=60");
    assertError(await call("GET", "/v1/workspaces/nobody/widget-config"), 404, "not_found");
  });

  test("bad settings are refused with the field named and change nothing", async () => {
    await workspaceWithKeys("hooli");
    const patch = (body) => call("PATCH", "/v1/workspaces/hooli", { headers: asAdmin(), body });
    assertError(await patch({ apology: "We apologise for any inconvenience." }), 422, "validation", "apology");
    assertError(await patch({ origins: ["https://shop.hooli.example/checkout"] }), 422, "validation", "origins");
    assertError(await patch({ colour: "hooli blue" }), 422, "validation", "colour");
    assertError(await patch({ locale: "English" }), 422, "validation", "locale");
    const euroPolicy = (await call("GET", "/v1/workspaces/hooli", { headers: asAdmin() })).body.make_good_policy;
    assertError(await patch({ make_good_policy: { ...euroPolicy, currency: "EUR" } }), 422, "validation", "make_good_policy");
    const hours = (change) => ({ opening_hours: { time_zone: "Europe/Berlin", week: { friday: [{ opens: "10:00", closes: "14:00" }] }, first_answer_minutes: 60, ...change } });
    assertError(await patch(hours({ time_zone: "Berlin" })), 422, "validation", "time_zone");
    assertError(await patch(hours({ week: { friday: [{ opens: "14:00", closes: "10:00" }] } })), 422, "validation", "week");
    assertError(await patch(hours({ week: {} })), 422, "validation", "week");
    assertError(await patch(hours({ closed_dates: ["25/12/2026"] })), 422, "validation", "closed_dates");
    assertError(await patch(hours({ first_answer_minutes: 9 * 60 })), 422, "validation", "first_answer_minutes"); // more than two Fridays hold
    assertError(await patch({ name: "Hooli Two", ...hours({ time_zone: "Nowhere/Else" }) }), 422, "validation", "time_zone");
    const unknown = await patch({ color: "#000000" });
    assertError(unknown, 422, "validation", "color");
    assert.equal(unknown.body.error.problem, "unknown");

    const settings = await call("GET", "/v1/workspaces/hooli", { headers: asAdmin() });
    assert.equal(settings.status, 200);
    assert.equal(settings.body.apology, "We're sorry: we got this wrong.");
    assert.deepEqual(settings.body.origins, []);
    assert.equal(settings.body.colour, "#1f6feb");
    assert.equal(settings.body.name, "hooli Ltd");
    assert.equal(settings.body.opening_hours.time_zone, "Europe/London");
  });

  test("a manager sets the opening hours and first-answer target, and they are kept as sent", async () => {
    const { manager } = await workspaceWithKeys("wayne");
    const lunch = [{ opens: "09:00", closes: "12:30" }, { opens: "13:30", closes: "18:00" }];
    const opening_hours = {
      time_zone: "America/New_York",
      week: { monday: lunch, tuesday: lunch, wednesday: lunch, thursday: lunch, friday: [{ opens: "09:00", closes: "24:00" }], saturday: [], sunday: [] },
      closed_dates: ["2026-12-25", "2027-01-01"],
      first_answer_minutes: 240,
    };
    const changed = await call("PATCH", "/v1/workspaces/wayne", { headers: bearer(manager), body: { opening_hours } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.opening_hours, opening_hours);
    const read = await call("GET", "/v1/workspaces/wayne", { headers: bearer(manager) });
    assert.deepEqual(read.body.opening_hours, opening_hours);
  });

  test("a report while the company is closed carries when it opens again, and its first answer counts from then", async () => {
    const { manager } = await workspaceWithKeys("vandelay");
    const always = Object.fromEntries(WEEKDAYS.map((day) => [day, [{ opens: "00:00", closes: "24:00" }]]));
    const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    // Closed today and tomorrow (UTC): open again at midnight the day after.
    const opening_hours = { time_zone: "UTC", week: always, closed_dates: [day(0), day(1)], first_answer_minutes: 90 };
    const set = await call("PATCH", "/v1/workspaces/vandelay", { headers: bearer(manager), body: { opening_hours } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const filed = await call("POST", "/v1/reports", { body: sofa("vandelay") });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const [reported] = filed.body.ticket.events;
    assert.equal(reported.opens_at, `${day(2)}T00:00:00Z`);
    assert.equal(reported.first_answer_by, `${day(2)}T01:30:00Z`);
    assert.equal(filed.body.ticket.promise.due, reported.first_answer_by);
    // Open around the clock: nothing to say about opening.
    assert.equal(early.filed.ticket.events[0].opens_at, undefined);
    assert.ok(early.filed.ticket.events[0].first_answer_by);
  });

  test("a manager sets the allowed origins, and the frame's frame-ancestors follows", async () => {
    const { manager } = await workspaceWithKeys("globex");
    const frame = async () => (await fetch(`${mend.url}/w/globex`)).headers.get("content-security-policy");
    assert.match(await frame(), /frame-ancestors 'self'$/);

    const changed = await call("PATCH", "/v1/workspaces/globex", {
      headers: bearer(manager),
      body: { origins: ["https://Shop.Globex.example", "http://127.0.0.1:9000"], colour: "#00aa55" },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.origins, ["http://127.0.0.1:9000", "https://shop.globex.example"]);
    assert.equal(changed.body.colour, "#00aa55");
    assert.match(await frame(), /frame-ancestors 'self' http:\/\/127\.0\.0\.1:9000 https:\/\/shop\.globex\.example$/);
  });

  test("a manager's make-good policy applies at once, even to a ticket already open", async () => {
    const { manager, rep } = await workspaceWithKeys("tyrell");
    const { id } = await report(sofa("tyrell"));
    const offer = (minor_units) => ({ type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units }, note: "For the trouble." });
    // Load the ticket into its object first, so a cached policy would show.
    assert.equal((await call("GET", `/v1/tickets/${id}`, { headers: bearer(rep) })).status, 200);
    const policy = (await call("GET", "/v1/workspaces/tyrell", { headers: bearer(manager) })).body.make_good_policy;
    const lowered = await call("PATCH", "/v1/workspaces/tyrell", {
      headers: bearer(manager),
      body: { make_good_policy: { ...policy, rep_cap: { currency: "USD", minor_units: 2_000 } } },
    });
    assert.equal(lowered.status, 200, JSON.stringify(lowered.body));
    assert.equal(lowered.body.make_good_policy.rep_cap.minor_units, 2_000);
    const refused = await call("POST", `/v1/tickets/${id}/commands`, { headers: bearer(rep), body: offer(5_000) });
    assertError(refused, 403, "needs_manager");
    assert.match(refused.body.error.message, /above \$20 need a manager/);
    const within = await call("POST", `/v1/tickets/${id}/commands`, { headers: bearer(rep), body: offer(1_500) });
    assert.equal(within.status, 200, JSON.stringify(within.body));
  });

  test("company events carry the rep's first name only where the workspace signs with it", async () => {
    await workspaceWithKeys("stark");
    const ana = await call("POST", "/v1/workspaces/stark/keys", { headers: asAdmin(), body: { role: "rep", label: "Ana, support" } });
    const { id, token } = await report(sofa("stark"));
    const update = (text) => ({ type: "update", text, next_update_by: inMinutes(60) });
    const first = await call("POST", `/v1/tickets/${id}/commands`, { headers: bearer(ana.body.key), body: update("Looking into it.") });
    assert.equal(first.body.events.at(-1).signed, undefined, "one company voice by default");

    const on = await call("PATCH", "/v1/workspaces/stark", { headers: asAdmin(), body: { rep_names: true } });
    assert.equal(on.body.rep_names, true);
    const second = await call("POST", `/v1/tickets/${id}/commands`, { headers: bearer(ana.body.key), body: update("Found it.") });
    assert.equal(second.body.events.at(-1).signed, "Ana");
    const answer = await call("POST", `/v1/tickets/${id}/commands`, { headers: bearer(token), body: { type: "message", text: "Thanks!" } });
    assert.equal(answer.body.events.at(-1).signed, undefined, "customers never sign");
  });

  test("a rep may not manage; a manager of another workspace learns nothing", async () => {
    const { rep } = await workspaceWithKeys("umbrella");
    assertError(await call("GET", "/v1/workspaces/umbrella", { headers: bearer(rep) }), 403, "forbidden");
    assertError(await call("PATCH", "/v1/workspaces/umbrella", { headers: bearer(rep), body: { colour: "#000000" } }), 403, "forbidden");
    assertError(await call("GET", "/v1/workspaces/umbrella/keys", { headers: bearer(rep) }), 403, "forbidden");
    // Acme's manager on Umbrella: the same answer as a workspace that does not exist.
    assertError(await call("GET", "/v1/workspaces/umbrella", { headers: bearer(mend.managerKey) }), 404, "not_found");
    assertError(await call("GET", "/v1/workspaces/nowhere", { headers: bearer(mend.managerKey) }), 404, "not_found");
    const unchanged = await call("GET", "/v1/workspaces/umbrella", { headers: asAdmin() });
    assert.equal(unchanged.body.colour, "#1f6feb");
  });

  test("keys are listed without secrets, and a revoked key and its sessions stop working", async () => {
    const { manager, rep } = await workspaceWithKeys("soylent");
    const listed = await call("GET", "/v1/workspaces/soylent/keys", { headers: bearer(manager) });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.keys.map((k) => [k.role, k.label, k.revoked_at]).sort(), [["manager", "manager", null], ["rep", "rep", null]]);
    assert.ok(!JSON.stringify(listed.body).includes("mend_rk_"), "no key is ever listed");

    const session = await call("POST", "/v1/session", { headers: bearer(rep) });
    assert.equal(session.status, 200);
    const cookie = session.headers.get("set-cookie").split(";")[0];
    assert.equal((await queue(rep)).status, 200);
    assert.equal((await call("GET", "/v1/queue", { headers: { Cookie: cookie } })).status, 200);

    const repId = listed.body.keys.find((k) => k.role === "rep").id;
    assertError(await call("DELETE", "/v1/workspaces/soylent/keys/%25", { headers: bearer(manager) }), 404, "not_found");
    assert.equal((await call("DELETE", `/v1/workspaces/soylent/keys/${repId}`, { headers: bearer(manager) })).status, 204);
    assertError(await call("DELETE", `/v1/workspaces/soylent/keys/${repId}`, { headers: bearer(manager) }), 404, "not_found");
    assertError(await queue(rep), 401, "unauthenticated");
    assertError(await call("GET", "/v1/queue", { headers: { Cookie: cookie } }), 401, "unauthenticated");
    const after = await call("GET", "/v1/workspaces/soylent/keys", { headers: bearer(manager) });
    assert.ok(after.body.keys.find((k) => k.id === repId).revoked_at);
  });
});

describe("sessions for the console", () => {
  test("a key becomes an HttpOnly, Secure, SameSite=Strict cookie, and signing out ends it", async () => {
    const started = await call("POST", "/v1/session", { headers: bearer(mend.repKey) });
    assert.equal(started.status, 200);
    assert.deepEqual(
      { ...started.body, make_good_policy: undefined, colleagues: undefined },
      { workspace: "acme", role: "rep", label: "Demo rep", company: "Acme Furniture", currency: "USD", voice_terms: [], rep_names: false, record_public: false, make_good_policy: undefined, key_id: started.body.key_id, colleagues: undefined, time_zone: "Europe/London" },
    );
    assert.match(started.body.key_id, /^[0-9a-f]{16}$/);
    // Whom a ticket may be handed to: the rep too, named by their key's label (no first name: acme signs as one).
    assert.deepEqual(started.body.colleagues.find((c) => c.key_id === started.body.key_id), { key_id: started.body.key_id, label: "Demo rep" });
    assert.equal(started.body.make_good_policy.currency, "USD");
    const setCookie = started.headers.get("set-cookie");
    assert.match(setCookie, /^mend_session=mend_s_[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=43200$/);
    const cookie = { Cookie: setCookie.split(";")[0] };

    const viaCookie = await call("GET", "/v1/queue", { headers: cookie });
    assert.equal(viaCookie.status, 200);
    assertError(await call("POST", "/v1/session", { headers: cookie }), 401, "unauthenticated");
    assertError(await call("POST", "/v1/session", { headers: bearer("mend_rk_unknown") }), 401, "unauthenticated");

    const ended = await call("DELETE", "/v1/session", { headers: cookie });
    assert.equal(ended.status, 204);
    assert.match(ended.headers.get("set-cookie"), /^mend_session=; .*Max-Age=0$/);
    assertError(await call("GET", "/v1/queue", { headers: cookie }), 401, "unauthenticated");
  });
});

describe("a rep key never grants another workspace", () => {
  test("Acme's ticket is not found with Globex's keys, and Globex's queue does not list it", async () => {
    const { rep, manager } = await workspaceWithKeys("wonka");
    const { id } = await report();
    for (const key of [rep, manager]) {
      assertError(await call("GET", `/v1/tickets/${id}`, { headers: bearer(key) }), 404, "not_found");
      assertError(await call("GET", `/v1/tickets/${id}/events`, { headers: bearer(key) }), 404, "not_found");
      const update = { type: "update", text: "On it.", next_update_by: inMinutes(60) };
      assertError(await call("POST", `/v1/tickets/${id}/commands`, { headers: bearer(key), body: update }), 404, "not_found");
      const listed = await queue(key);
      assert.equal(listed.status, 200);
      assert.ok(!listed.body.tickets.some((ticket) => ticket.id === id));
    }
    const view = await call("GET", `/v1/tickets/${id}`, { headers: bearer(mend.repKey) });
    assert.equal(view.body.last_seq, 1, "the refused update changed nothing");
  });

  test("the admin token opens no ticket", async () => {
    const { id } = await report();
    assertError(await call("GET", `/v1/tickets/${id}`, { headers: asAdmin() }), 401, "unauthenticated");
  });
});

describe("identified customers", () => {
  let secret;
  let kid;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (more = {}) => ({ aud: "acme", sub: "customer-77", exp: now() + 600, email: "ana@example.com", ...more });
  const sign = (more, options = {}) => signIdentity(claims(more), { secret, kid, ...options });

  before(async () => {
    const created = await call("POST", "/v1/workspaces/acme/identity-keys", { headers: bearer(mend.managerKey) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.secret, /^mend_is_[A-Za-z0-9_-]{43}$/);
    ({ secret, kid } = created.body);
    const settings = await call("GET", "/v1/workspaces/acme", { headers: bearer(mend.managerKey) });
    assert.deepEqual(settings.body.identity_keys.map((k) => k.kid), [kid]);
    assert.ok(!JSON.stringify(settings.body).includes(secret), "the secret is shown only once");
  });

  test("a report with an identity is listed for that customer and opens with their token", async () => {
    const identity = sign();
    const created = await call("POST", "/v1/reports", { body: { ...sofa(), order_id: "A-9", identity } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.ticket.id;
    assert.equal(created.body.ticket.report.contact_email, "ana@example.com", "the company's address for them is used");
    await report(); // an anonymous report is not theirs

    const mine = await call("GET", "/v1/customers/me/tickets", { headers: bearer(identity) });
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.tickets.map((t) => [t.id, t.status, t.what_happened, t.order_id]), [
      [id, "reported", sofa().what_happened, "A-9"],
    ]);
    const view = await call("GET", `/v1/tickets/${id}`, { headers: bearer(identity) });
    assert.equal(view.status, 200);
    assert.equal(view.body.id, id);

    const someoneElse = sign({ sub: "customer-78" });
    assert.deepEqual((await call("GET", "/v1/customers/me/tickets", { headers: bearer(someoneElse) })).body, { tickets: [] });
    assertError(await call("GET", `/v1/tickets/${id}`, { headers: bearer(someoneElse) }), 404, "not_found");
  });

  test("a repeat report by the same signed-in customer, or from their email, is linked to their earlier ones; another customer's is not, and no customer sees a link", async () => {
    const lin = sign({ sub: "repeat-lin", email: "lin@example.com" });
    const file = async (body) => {
      const filed = await call("POST", "/v1/reports", { body: { workspace: "acme", ...body } });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      return filed.body.ticket.id;
    };
    const first = await file({ what_happened: "The sofa cushion tore.", order_id: "R-1", identity: lin });
    const again = await file({ what_happened: "The other cushion tore too.", order_id: "R-2", identity: lin });
    const byEmail = await file({ what_happened: "And now the armrest.", order_id: "R-3", contact_email: "lin@example.com" });
    const stranger = await file({ what_happened: "My lamp flickers.", order_id: "R-4", identity: sign({ sub: "repeat-kim", email: "kim@example.com" }) });
    const staff = async (id) => (await call("GET", `/v1/tickets/${id}`, { headers: bearer(mend.repKey) })).body;
    assert.deepEqual((await staff(again)).earlier, [first]);
    assert.deepEqual((await staff(byEmail)).earlier, [again, first], "newest first");
    assert.equal((await staff(first)).earlier, undefined);
    assert.equal((await staff(stranger)).earlier, undefined, "another customer's report is a first report");
    // The customer sees nothing of it: not in the view, not in the events.
    const theirs = await call("GET", `/v1/tickets/${again}`, { headers: bearer(lin) });
    assert.equal(theirs.status, 200);
    assert.ok(!JSON.stringify(theirs.body).includes(first), "no link to their earlier ticket");
    const events = await call("GET", `/v1/tickets/${again}/events?since=0`, { headers: bearer(lin) });
    assert.ok(!JSON.stringify(events.body).includes(first));
    // The queue marks the repeats; the record counts them.
    const listed = (await queue(mend.repKey)).body.tickets;
    const marked = (id) => listed.find((t) => t.id === id)?.repeat ?? false;
    assert.deepEqual([first, again, byEmail, stranger].map(marked), [false, true, true, false]);
    const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await until(async () => {
      const record = await call("GET", `/v1/workspaces/acme/record?from=${day(-1)}&to=${day(0)}`, { headers: bearer(mend.managerKey) });
      return record.body.overall.repeat_reports >= 2;
    }, { what: "the record to count the repeat reports" });
  });

  test("forged, expired and misdirected identities are refused with 401 and file nothing", async () => {
    const before = (await queue(mend.repKey)).body.tickets.length;
    const forgeries = {
      "alg none": sign({}, { alg: "none" }),
      "alg HS512": sign({}, { alg: "HS512" }),
      "wrong key": sign({}, { secret: "mend_is_" + "x".repeat(43) }),
      "unknown kid": sign({}, { kid: "0000000000000000" }),
      "no kid": sign({}, { kid: undefined }),
      expired: sign({ exp: now() - 120 }),
      "lives for days": sign({ exp: now() + 7 * 24 * 3600 }),
      "wrong audience": sign({ aud: "globex" }),
      "tampered payload": tamper(sign(), { sub: "customer-1" }),
      "key URL in header": sign({}, { header: { jku: "https://evil.example/keys.json" } }),
      "not a token": "eyJhbGciOiJIUzI1NiJ9.e30",
    };
    for (const [name, identity] of Object.entries(forgeries)) {
      const filed = await call("POST", "/v1/reports", { body: { ...sofa(), identity } });
      assertError(filed, 401, "invalid_identity");
      if (name !== "not a token") {
        const listed = await call("GET", "/v1/customers/me/tickets", { headers: bearer(identity) });
        assert.equal(listed.status, 401, `${name}: ${JSON.stringify(listed.body)}`);
      }
    }
    assert.equal((await queue(mend.repKey)).body.tickets.length, before, "no refused report was filed");
  });

  test("deleting an identity key stops the tokens signed with it", async () => {
    const rotated = await call("POST", "/v1/workspaces/acme/identity-keys", { headers: asAdmin() });
    assert.equal(rotated.status, 201);
    const identity = signIdentity(claims(), { secret: rotated.body.secret, kid: rotated.body.kid });
    assert.equal((await call("GET", "/v1/customers/me/tickets", { headers: bearer(identity) })).status, 200);
    const deleted = await call("DELETE", `/v1/workspaces/acme/identity-keys/${rotated.body.kid}`, { headers: asAdmin() });
    assert.equal(deleted.status, 204);
    assertError(await call("GET", "/v1/customers/me/tickets", { headers: bearer(identity) }), 401, "invalid_identity");
    assert.equal((await call("GET", "/v1/customers/me/tickets", { headers: bearer(sign()) })).status, 200, "other keys still hold");
  });
});

describe("allowed origins (CORS)", () => {
  const from = (origin) => ({ Origin: origin });

  test("a preflight is granted to an allowed site and refused to any other", async () => {
    const granted = await fetch(`${mend.url}/v1/reports`, {
      method: "OPTIONS",
      headers: { ...from(mend.hostUrl), "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, idempotency-key" },
    });
    assert.equal(granted.status, 204);
    assert.equal(granted.headers.get("access-control-allow-origin"), mend.hostUrl);
    assert.match(granted.headers.get("access-control-allow-headers"), /Idempotency-Key/);
    assert.match(granted.headers.get("access-control-allow-methods"), /POST/);

    const refused = await fetch(`${mend.url}/v1/reports`, { method: "OPTIONS", headers: from("https://evil.example") });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get("access-control-allow-origin"), null);
    assert.equal((await refused.json()).error.code, "origin_not_allowed");
  });

  test("a report from the workspace's own site is answered to it; from another site it is refused and files nothing", async () => {
    const before = (await queue(mend.repKey)).body.tickets.length;
    const allowed = await call("POST", "/v1/reports", { body: sofa(), headers: from(mend.hostUrl) });
    assert.equal(allowed.status, 201);
    assert.equal(allowed.headers.get("access-control-allow-origin"), mend.hostUrl);
    assert.equal(allowed.headers.get("access-control-expose-headers"), "Retry-After, Idempotent-Replayed, Server-Timing");

    const evil = await call("POST", "/v1/reports", { body: sofa(), headers: from("https://evil.example") });
    assertError(evil, 403, "origin_not_allowed");
    assert.equal(evil.headers.get("access-control-allow-origin"), null);
    // Another workspace's site may not file reports for Acme either.
    await workspaceWithKeys("cyberdyne", ["https://shop.cyberdyne.example"]);
    assertError(await call("POST", "/v1/reports", { body: sofa(), headers: from("https://shop.cyberdyne.example") }), 403, "origin_not_allowed");
    assert.equal((await queue(mend.repKey)).body.tickets.length, before + 1);
  });

  test("a ticket is readable from its workspace's site and Mend's own pages only", async () => {
    const { id, token } = await report();
    const read = (origin) => call("GET", `/v1/tickets/${id}`, { headers: { ...bearer(token), ...from(origin) } });
    const own = await read(mend.url);
    assert.equal(own.status, 200);
    assert.equal(own.headers.get("access-control-allow-origin"), null, "same origin needs no CORS");
    const site = await read(mend.hostUrl);
    assert.equal(site.status, 200);
    assert.equal(site.headers.get("access-control-allow-origin"), mend.hostUrl);
    assertError(await read("https://shop.cyberdyne.example"), 403, "origin_not_allowed");
  });
});

describe("Idempotency-Key", () => {
  test("a retried report gets the first answer, and creates one ticket", async () => {
    const key = { "Idempotency-Key": "report-" + Date.now() };
    const first = await call("POST", "/v1/reports", { body: sofa(), headers: key });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get("idempotent-replayed"), null);
    const retry = await call("POST", "/v1/reports", { body: sofa(), headers: key });
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(retry.body, first.body);

    const other = await call("POST", "/v1/reports", { body: { ...sofa(), what_happened: "Something else." }, headers: key });
    assertError(other, 422, "idempotency_key_reused", "idempotency_key");
    assertError(await call("POST", "/v1/reports", { body: sofa(), headers: { "Idempotency-Key": "" } }), 422, "validation", "idempotency_key");
  });

  test("concurrent retries of one report file it once", async () => {
    const before = (await queue(mend.repKey)).body.tickets.length;
    const key = { "Idempotency-Key": "burst-" + Date.now() };
    const answers = await Promise.all(Array.from({ length: 6 }, () => call("POST", "/v1/reports", { body: sofa(), headers: key })));
    const ids = new Set();
    for (const answer of answers) {
      if (answer.status === 201) ids.add(answer.body.ticket.id);
      else assertError(answer, 409, "idempotency_in_progress");
    }
    assert.equal(ids.size, 1, "every answer that carries a ticket carries the same one");
    assert.equal((await queue(mend.repKey)).body.tickets.length, before + 1);
  });

  test("a retried command is applied once, and the same key on another ticket is independent", async () => {
    const { id } = await report();
    const { id: otherId } = await report();
    const update = { type: "update", text: "Your cushion ships today.", next_update_by: inMinutes(90) };
    const key = { ...bearer(mend.repKey), "Idempotency-Key": "update-1" };
    const first = await call("POST", `/v1/tickets/${id}/commands`, { headers: key, body: update });
    assert.equal(first.status, 200);
    const retry = await call("POST", `/v1/tickets/${id}/commands`, { headers: key, body: update });
    assert.equal(retry.status, 200);
    assert.equal(retry.headers.get("idempotent-replayed"), "true");
    assert.equal(retry.body.last_seq, 2);
    const view = await call("GET", `/v1/tickets/${id}`, { headers: bearer(mend.repKey) });
    assert.equal(view.body.events.filter((e) => e.type === "updated").length, 1);
    const elsewhere = await call("POST", `/v1/tickets/${otherId}/commands`, { headers: key, body: update });
    assert.equal(elsewhere.status, 200);
    assert.equal(elsewhere.headers.get("idempotent-replayed"), null);
  });

  test("a refusal is replayed too, so a retry never sneaks past it", async () => {
    const { id, token } = await report();
    const key = { ...bearer(token), "Idempotency-Key": "confirm-early" };
    assertError(await call("POST", `/v1/tickets/${id}/commands`, { headers: key, body: { type: "confirm_solved" } }), 409, "invalid_transition");
    const again = await call("POST", `/v1/tickets/${id}/commands`, { headers: key, body: { type: "confirm_solved" } });
    assertError(again, 409, "invalid_transition");
    assert.equal(again.headers.get("idempotent-replayed"), "true");
  });
});

describe("the queue", () => {
  test("most at risk first, then unanswered, then promised, then waiting on the customer; closed ones left out", async () => {
    const queen = await workspaceWithKeys("queenco");
    const file = async (what) => (await report({ workspace: "queenco", what_happened: what })).id;
    const act = async (key, id, body) => {
      const answer = await call("POST", `/v1/tickets/${id}/commands`, { headers: bearer(key), body });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    };
    const unanswered = await file("Nobody has answered me yet.");
    const promised = await file("Promised for later.");
    const soon = await file("Promised within the hour.");
    const asked = await file("They asked me something.");
    const newer = await file("Also unanswered, reported later.");
    const withdrawn = await report({ workspace: "queenco", what_happened: "Never mind." });
    await act(queen.rep, promised, { type: "update", text: "Looking into it.", next_update_by: inMinutes(240) });
    await act(queen.rep, soon, { type: "update", text: "Nearly there.", next_update_by: inMinutes(30) });
    await act(queen.manager, asked, { type: "ask", question: "Which colour was it?" });
    await act(queen.rep, promised, { type: "escalate", reason: "manager_adds_value" });
    await act(withdrawn.token, withdrawn.id, { type: "withdraw" });

    const listed = await queue(queen.rep);
    assert.equal(listed.status, 200);
    assert.ok(Date.parse(listed.body.now) <= Date.now());
    assert.deepEqual(
      listed.body.tickets.map((t) => [t.id, t.risk]),
      [[soon, "promise_at_risk"], [unanswered, "unanswered"], [newer, "unanswered"], [promised, "promised"], [asked, "with_customer"]],
    );
    const first = listed.body.tickets[0];
    assert.equal(first.what_happened, "Promised within the hour.");
    assert.equal(first.status, "acknowledged");
    assert.equal(first.promise.missed, false);
    assert.equal(first.mine, true);

    const ids = async (key, filter) => (await queue(key, filter)).body.tickets.map((t) => t.id);
    assert.deepEqual(await ids(queen.rep, "mine"), [soon, promised]);
    assert.deepEqual(await ids(queen.manager, "mine"), [asked]);
    assert.deepEqual(await ids(queen.rep, "escalated"), [promised]);
    assert.deepEqual(await ids(queen.rep, "waiting_on_customer"), [asked]);
    assert.deepEqual(await ids(queen.rep, "resolution_proposed"), []);
    assertError(await queue(queen.rep, "urgent"), 422, "validation", "filter");
    assertError(await call("GET", "/v1/queue"), 401, "unauthenticated");
    const { token } = await report({ workspace: "queenco", what_happened: "Customer tokens see no queue." });
    assertError(await queue(token), 401, "unauthenticated");
  });
});

describe("report rate limits", () => {
  let limited;
  before(async () => (limited = await startMend({ vars: { REPORTS_PER_MINUTE_PER_ADDRESS: "2", REPORTS_PER_MINUTE_PER_WORKSPACE: "4" } })));
  after(async () => limited?.stop());

  test("per client address, then per workspace: 429 with Retry-After and a message to show, filing nothing", async () => {
    // The limits count in fixed minutes: start well inside one, so the burst below cannot straddle two.
    await until(() => new Date().getSeconds() < 45, { attempts: 200, every: 100, what: "a fresh minute" });
    const fileFrom = (address) => call("POST", "/v1/reports", { url: limited.url, body: sofa(), headers: { "CF-Connecting-IP": address } });
    assert.equal((await fileFrom("203.0.113.1")).status, 201);
    assert.equal((await fileFrom("203.0.113.1")).status, 201);
    const third = await fileFrom("203.0.113.1");
    assertError(third, 429, "rate_limited");
    assert.equal(third.body.error.message, "Too many reports from this connection — try again in a minute.");
    const retryAfter = Number(third.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);

    assert.equal((await fileFrom("203.0.113.2")).status, 201);
    assert.equal((await fileFrom("203.0.113.2")).status, 201);
    const busy = await fileFrom("203.0.113.3");
    assertError(busy, 429, "rate_limited");
    assert.match(busy.body.error.message, /too many reports right now/);

    const filed = await call("GET", "/v1/queue", { url: limited.url, headers: bearer(limited.repKey) });
    assert.equal(filed.body.tickets.length, 4, "the refused reports were not filed");
  });
});

describe("addresses and methods", () => {
  test("a known address with the wrong method is 405 with Allow; an unknown one is 404", async () => {
    const wrong = await call("PATCH", "/v1/queue");
    assertError(wrong, 405, "method_not_allowed");
    assert.equal(wrong.headers.get("allow"), "GET");
    assert.equal((await call("PUT", "/v1/workspaces/acme")).headers.get("allow"), "GET, PATCH");
    assertError(await call("GET", "/v1/nothing-here"), 404, "not_found");
  });

  test("the OpenAPI document is served", async () => {
    const doc = await call("GET", "/v1/openapi.json");
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, "3.1.0");
  });
});

describe("proactive reports", () => {
  const found = (extra = {}) => ({
    contact_email: "hal@example.com",
    order_id: "5150",
    what_happened: "Your table was sent to the wrong address.",
    apology: "We're sorry: we sent your table to the wrong address.",
    ...extra,
  });
  let keys;
  before(async () => {
    keys = await workspaceWithKeys("foundco");
  });
  const open = async () => (await call("GET", "/v1/queue", { headers: bearer(keys.rep) })).body.tickets;

  test("bad input is refused with the field named, and nothing is filed", async () => {
    const cases = [
      [{ contact_email: null }, 422, "validation", "customer"],
      [{ contact_email: "hal@" }, 422, "validation", "contact_email"],
      [{ contact_email: null, customer_subject: "x".repeat(256) }, 422, "validation", "customer_subject"],
      [{ apology: "We apologise for any inconvenience." }, 422, "validation", "apology"],
      [{ update: { text: "Soon.", next_update_by: inMinutes(60 * 24 * 15) } }, 422, "validation", "next_update_by"],
      [{ make_good: { kind: "credit", value: { currency: "USD", minor_units: 0 } } }, 422, "validation", "minor_units"],
      [{ make_good: { kind: "refund", value: { currency: "USD", minor_units: 9_999_900 } } }, 403, "needs_manager"],
    ];
    for (const [extra, status, code, field] of cases) {
      const answer = await call("POST", "/v1/proactive-reports", { headers: bearer(keys.rep), body: found(extra) });
      assertError(answer, status, code, field);
    }
    // Only the company reports what it found: a customer's token is no credential here.
    const { token } = await report(sofa("foundco"));
    assertError(await call("POST", "/v1/proactive-reports", { headers: bearer(token), body: found() }), 401, "unauthenticated");
    assertError(await call("POST", "/v1/proactive-reports", { body: found() }), 401, "unauthenticated");
    assert.deepEqual((await open()).map((t) => t.what_happened), ["The sofa arrived with a torn cushion."], "nothing was filed");
  });

  test("a manager's make-good above the rep's cap is made; the ticket starts answered, in the company's words, and the record counts it found first", async () => {
    const made = await call("POST", "/v1/proactive-reports", {
      headers: bearer(keys.manager),
      body: found({ make_good: { kind: "refund", value: { currency: "USD", minor_units: 50_000 } } }),
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { ticket } = made.body;
    assert.equal(ticket.status, "acknowledged");
    assert.equal(ticket.promise, null, "no first-answer promise: the company spoke first");
    assert.deepEqual(ticket.events.map((e) => [e.by, e.type]), [["manager", "reported"], ["manager", "make_good_offered"]]);
    assert.match(ticket.reference, /^[A-Z]{1,3}-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/, "a reference like every ticket's");
    const listed = (await open()).find((t) => t.id === ticket.id);
    assert.equal(listed.what_happened, "Your table was sent to the wrong address.");
    // The record: found first, and no customer waited for its first answer.
    // Yesterday and today: every ticket of this suite's workspace, even across midnight.
    const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const record = async () =>
      (await call("GET", `/v1/workspaces/foundco/record?from=${day(-1)}&to=${day(0)}`, { headers: bearer(keys.rep) })).body.overall;
    await until(async () => (await record()).found_first === 1, { what: "the record to count the ticket found first" });
    const overall = await record();
    assert.equal(overall.tickets, 2);
    assert.equal(overall.median_first_response_ms, null, "the customer's report is unanswered; the found one is left out");
  });
});

describe("the first-answer promise", () => {
  test("a report is promised its first answer from the opening hours, and Mend records it missed when none came", async () => {
    const { ticket, customer_token: token } = early.filed;
    const reported = ticket.events[0];
    const due = reported.first_answer_by;
    assert.equal(Date.parse(due), Date.parse(reported.at) + 60_000, "open all day: a minute of opening time is a minute");
    assert.equal(ticket.status, "reported");
    assert.deepEqual(ticket.promise, { due, missed: false });

    // A first answer due within the hour puts the report at the top of the queue.
    const listed = (await queue(early.rep)).body.tickets.find((t) => t.id === ticket.id);
    assert.equal(listed.risk, "promise_at_risk");
    assert.equal(listed.promise.due, due);

    const missed = await until(
      async () => {
        const seen = await call("GET", `/v1/tickets/${ticket.id}/events?since=1`, { headers: bearer(token) });
        return seen.body.events.find((e) => e.type === "promise_missed");
      },
      { attempts: 1500, every: 100, what: "the first answer's promise_missed event" },
    );
    assert.deepEqual({ ...missed, at: undefined }, { seq: 2, at: undefined, by: "system", type: "promise_missed", due, first_answer: true });
    const seen = await call("GET", `/v1/tickets/${ticket.id}`, { headers: bearer(token) });
    assert.equal(seen.body.status, "reported");
    assert.deepEqual(seen.body.promise, { due, missed: true });
    assert.deepEqual(seen.body.promises, { made: 0, kept: 0, missed: 0 }, "the next-update ledger is not charged with it");

    // The late answer does not make it kept; the record counts it missed.
    const answered = await call("POST", `/v1/tickets/${ticket.id}/commands`, {
      headers: bearer(early.rep),
      body: { type: "message", text: "We're sorry we kept you waiting — we're looking at the cushion now." },
    });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    const day = reported.at.slice(0, 10);
    const record = await until(
      async () => {
        const got = await call("GET", `/v1/workspaces/initrode/record?from=${day}&to=${day}`, { headers: bearer(early.manager) });
        return got.body.overall.median_first_response_ms !== null && got.body;
      },
      { what: "the record to follow the answer" },
    );
    assert.deepEqual(record.overall.first_answers, { made: 1, kept: 0, missed: 1 });
    assert.equal(record.overall.first_answers_kept_percent, 0);
  });
});

describe("owners and handovers", () => {
  test("the first answer takes a ticket; its owner hands it over with a note only colleagues read; bad handovers change nothing", async () => {
    const oco = await workspaceWithKeys("ownerco");
    const signs = await call("PATCH", "/v1/workspaces/ownerco", { headers: bearer(oco.manager), body: { rep_names: true } });
    assert.equal(signs.status, 200, JSON.stringify(signs.body));
    const newKey = async (workspace, label, role = "rep") => {
      const made = await call("POST", `/v1/workspaces/${workspace}/keys`, { headers: asAdmin(), body: { role, label } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      return made.body;
    };
    const sam = await newKey("ownerco", "Sam, support");
    const alex = await newKey("ownerco", "Alex, support");
    const gone = await newKey("ownerco", "Gone, support");
    assert.equal((await call("DELETE", `/v1/workspaces/ownerco/keys/${gone.id}`, { headers: bearer(oco.manager) })).status, 204);
    const stranger = (await workspaceWithKeys("strangerco")).rep;
    const strangerId = (await call("GET", "/v1/session", { headers: bearer(stranger) })).body.key_id;

    // The session lists whom a ticket may be handed to: keys in force only.
    const session = await call("GET", "/v1/session", { headers: bearer(sam.key) });
    assert.equal(session.status, 200);
    assert.equal(session.body.key_id, sam.id);
    assert.deepEqual(
      session.body.colleagues.map((c) => c.label).sort(),
      ["Alex, support", "Sam, support", "manager", "rep"],
    );

    const ticket = await report({ workspace: "ownerco", what_happened: "The armchair never came." });
    const send = (key, body) => call("POST", `/v1/tickets/${ticket.id}/commands`, { headers: bearer(key), body });
    const answered = await send(sam.key, { type: "update", text: "We're so sorry. It leaves the warehouse today.", next_update_by: inMinutes(120) });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    assert.deepEqual(answered.body.owner, { key_id: sam.id, label: "Sam, support", first_name: "Sam" });
    assert.deepEqual(answered.body.events[1].author, { key_id: sam.id, label: "Sam, support", first_name: "Sam" });

    const before = (await call("GET", `/v1/tickets/${ticket.id}`, { headers: bearer(sam.key) })).body;
    const unchanged = async () => assert.deepEqual((await call("GET", `/v1/tickets/${ticket.id}`, { headers: bearer(sam.key) })).body, before);
    const note = "She prefers email; the courier is booked for Friday.";
    assertError(await send(alex.key, { type: "take_ownership" }), 409, "invalid_transition");
    assertError(await send(alex.key, { type: "hand_over", to: alex.id, note }), 403, "forbidden");
    assertError(await send(sam.key, { type: "hand_over", to: strangerId, note }), 422, "validation", "to");
    assertError(await send(sam.key, { type: "hand_over", to: gone.id, note }), 422, "validation", "to");
    assertError(await send(sam.key, { type: "hand_over", to: "not a key", note }), 422, "validation", "to");
    assertError(await send(sam.key, { type: "hand_over", to: alex.id, note: " " }), 422, "validation", "note");
    assertError(await send(sam.key, { type: "hand_over", to: sam.id, note }), 409, "invalid_transition");
    assertError(await send(ticket.token, { type: "hand_over", to: alex.id, note }), 403, "forbidden");
    await unchanged();

    const handed = await send(sam.key, { type: "hand_over", to: alex.id, note });
    assert.equal(handed.status, 200, JSON.stringify(handed.body));
    assert.deepEqual(handed.body.owner, { key_id: alex.id, label: "Alex, support", first_name: "Alex" });
    assert.equal(handed.body.handovers, 1);
    const event = handed.body.events.at(-1);
    assert.deepEqual(
      { type: event.type, by: event.by, signed: event.signed, from: event.from.key_id, to: event.to.key_id, note: event.note },
      { type: "handed_over", by: "rep", signed: "Sam", from: sam.id, to: alex.id, note },
    );

    // The customer reads who looks after them by first name, never the note or the keys.
    const theirs = (await call("GET", `/v1/tickets/${ticket.id}`, { headers: bearer(ticket.token) })).body;
    assert.deepEqual(theirs.owner, { first_name: "Alex" });
    assert.deepEqual(theirs.events.at(-1), { seq: 3, at: event.at, by: "rep", signed: "Sam", type: "handed_over", from: { first_name: "Sam" }, to: { first_name: "Alex" } });
    assert.ok(!JSON.stringify(theirs).includes(note) && !JSON.stringify(theirs).includes(sam.id) && !JSON.stringify(theirs).includes("support"));
    const page = (await call("GET", `/v1/tickets/${ticket.id}/events?since=1`, { headers: bearer(ticket.token) })).body;
    assert.deepEqual(page.events, theirs.events.slice(1));

    // The queue: mine is what a colleague looks after; unowned and by owner.
    const other = await report({ workspace: "ownerco", what_happened: "Nobody has this one yet." });
    const listed = async (key, query) =>
      (await call("GET", `/v1/queue?${query}`, { headers: bearer(key) })).body.tickets.map((t) => [t.id, t.mine, t.owner?.label ?? null]);
    assert.deepEqual(await listed(alex.key, "filter=mine"), [[ticket.id, true, "Alex, support"]]);
    assert.deepEqual(await listed(sam.key, "filter=mine"), []);
    assert.deepEqual(await listed(sam.key, "filter=unowned"), [[other.id, false, null]]);
    assert.deepEqual(await listed(sam.key, `owner=${alex.id}`), [[ticket.id, false, "Alex, support"]]);
    assert.deepEqual(await listed(sam.key, "owner=0000000000000000"), []);

    // Sam answers again: the record counts an answer by someone other than the owner.
    assert.equal((await send(alex.key, { type: "take_ownership" })).status, 409);
    assert.equal((await send(sam.key, { type: "message", text: "I've asked the courier too." })).status, 200);
    assert.equal((await call("POST", `/v1/tickets/${other.id}/commands`, { headers: bearer(alex.key), body: { type: "take_ownership" } })).status, 200);
    assert.equal((await call("POST", `/v1/tickets/${other.id}/commands`, { headers: bearer(alex.key), body: { type: "message", text: "We're sorry: I'm on it." } })).status, 200);
    const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await until(async () => {
      const record = await call("GET", `/v1/workspaces/ownerco/record?from=${day(-1)}&to=${day(0)}`, { headers: bearer(oco.manager) });
      const { tickets, handovers, handed_over, answered_by_owner } = record.body.overall;
      return tickets === 2 && handovers === 1 && handed_over === 1 && answered_by_owner === 1;
    }, { what: "the record to count one handover and one ticket answered only by its owner" });
  });
});
