// Black-box tests of what the rep console and the recovery record need from
// the worker (issue 6): a workspace's own one-voice terms, the reviewer's
// findings kept beside each company event (shown to reps, never to the
// customer), who is signed in, the recovery record over a seeded set of
// tickets with exact figures, the public scorecard page, and the live queue
// socket — against the real built worker in `wrangler dev`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chromium } from "playwright-core";
import { startMend, inMinutes, until } from "./support/mend.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "./support/widget-page.mjs";
import * as http from "./support/http.mjs";
import { assertError, bearer } from "./support/http.mjs";
import { violations } from "./support/axe.mjs";

let mend;
before(async () => (mend = await startMend()));
after(async () => mend?.stop());

const asAdmin = () => bearer(mend.adminToken);

const call = (method, path, options) => http.call(mend.url, method, path, options);

/** Creates workspace `id` (named `name`) as Mend's admin, with a manager and a rep key. */
async function workspaceWithKeys(id, name = `${id} Ltd`) {
  const created = await call("POST", "/v1/workspaces", {
    headers: asAdmin(),
    body: { id, name, apology: "We're sorry: we got this wrong." },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const key = async (role, label) => {
    const answer = await call("POST", `/v1/workspaces/${id}/keys`, { headers: asAdmin(), body: { role, label } });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body.key;
  };
  return { manager: await key("manager", "Maria, support lead"), rep: await key("rep", "Ana, support") };
}

async function report(workspace, more = {}) {
  const answer = await call("POST", "/v1/reports", { body: { workspace, what_happened: "The lamp arrived broken.", ...more } });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return { id: answer.body.ticket.id, token: answer.body.customer_token, reportedAt: answer.body.ticket.reported_at };
}

/** Gives `body` as a command on `id` with `key`; fails the test unless Mend takes it. */
async function act(key, id, body) {
  const answer = await call("POST", `/v1/tickets/${id}/commands`, { headers: bearer(key), body });
  assert.equal(answer.status, 200, `${body.type}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const terms = [
  { category: "blames_others", term: "Speedy Parcels" },
  { category: "hides_behind_policy", term: "head office rules" },
];

describe("a workspace's own one-voice terms", () => {
  test("a manager sets them; they come back in the settings and the session, trimmed and once", async () => {
    const { manager, rep } = await workspaceWithKeys("termco");
    const given = [...terms, { category: "minimises", term: "  speedy parcels " }, { category: "blames_others", term: " DHL " }];
    const set = await call("PATCH", "/v1/workspaces/termco", { headers: bearer(manager), body: { voice_terms: given } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const expected = [...terms, { category: "blames_others", term: "DHL" }];
    assert.deepEqual(set.body.voice_terms, expected);
    assert.deepEqual((await call("GET", "/v1/workspaces/termco", { headers: bearer(manager) })).body.voice_terms, expected);
    assert.deepEqual((await call("GET", "/v1/session", { headers: bearer(rep) })).body.voice_terms, expected);

    const cleared = await call("PATCH", "/v1/workspaces/termco", { headers: bearer(manager), body: { voice_terms: [] } });
    assert.deepEqual(cleared.body.voice_terms, []);
  });

  test("bad terms are refused naming voice_terms, and change nothing", async () => {
    const { manager } = await workspaceWithKeys("badterms");
    const patch = (voice_terms) => call("PATCH", "/v1/workspaces/badterms", { headers: bearer(manager), body: { voice_terms } });
    assert.equal((await patch(terms)).status, 200);
    const blank = await patch([{ category: "blames_others", term: "   " }]);
    assertError(blank, 422, "validation", "voice_terms");
    assert.equal(blank.body.error.message, "The one-voice terms must be a list of terms none of which is blank.");
    const long = await patch([{ category: "blames_others", term: "x".repeat(61) }]);
    assertError(long, 422, "validation", "voice_terms");
    assert.equal(long.body.error.message, "The one-voice terms must be a list of terms of at most 60 characters each.");
    const many = Array.from({ length: 51 }, (_, i) => ({ category: "minimises", term: `carrier ${i}` }));
    const tooMany = await patch(many);
    assertError(tooMany, 422, "validation", "voice_terms");
    assert.equal(tooMany.body.error.message, "The one-voice terms must be a list of at most 50 terms.");
    assertError(await patch([{ category: "rude", term: "DHL" }]), 400, "malformed_json", undefined);
    assertError(await patch([{ category: "minimises" }]), 400, "malformed_json", undefined);
    assert.equal((await patch(many.slice(0, 50))).status, 200, "fifty is the most, and allowed");
    assert.equal((await patch(terms)).status, 200);

    assertError(await patch([{ category: "minimises", term: "?!" }]), 422, "validation", "voice_terms");
    const unchanged = await call("GET", "/v1/workspaces/badterms", { headers: bearer(manager) });
    assert.deepEqual(unchanged.body.voice_terms, terms);
  });

  test("a rep key cannot change the settings: 403, and nothing changes", async () => {
    const { manager, rep } = await workspaceWithKeys("repco");
    for (const body of [{ voice_terms: terms }, { record_public: true }]) {
      assertError(await call("PATCH", "/v1/workspaces/repco", { headers: bearer(rep), body }), 403, "forbidden", undefined);
    }
    const settings = await call("GET", "/v1/workspaces/repco", { headers: bearer(manager) });
    assert.deepEqual([settings.body.voice_terms, settings.body.record_public], [[], false]);
  });
});

describe("what the reviewer flagged is kept", () => {
  test("a flagged update is sent, and its findings are shown to reps and never to the customer", async () => {
    const { manager, rep } = await workspaceWithKeys("flagco");
    assert.equal((await call("PATCH", "/v1/workspaces/flagco", { headers: bearer(manager), body: { voice_terms: terms } })).status, 200);
    const { id, token } = await report("flagco");
    const text = "Speedy Parcels lost it. Mistakes happen.";
    const updated = await act(rep, id, { type: "update", text, next_update_by: inMinutes(60) });
    assert.equal(updated.events.at(-1).text, text, "the rep may still send it");
    const update = [
      {
        seq: 2,
        field: "text",
        findings: [
          { category: "blames_others", start: 0, end: 14, phrase: "Speedy Parcels" },
          { category: "minimises", start: 24, end: 39, phrase: "Mistakes happen" },
        ],
      },
    ];
    assert.deepEqual(updated.review, update);

    await act(rep, id, { type: "message", text: "We have a new lamp for you." });
    await act(token, id, { type: "message", text: "Mistakes happen, I know." });
    await act(manager, id, { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 1000 }, note: "As per our policy, a credit." });
    const proposed = await act(rep, id, {
      type: "propose_resolution",
      summary: "The new lamp was delivered today.",
      prevention: "We pack lamps ourselves now, not head office rules.",
    });
    const later = [
      { seq: 5, field: "note", findings: [{ category: "hides_behind_policy", start: 0, end: 17, phrase: "As per our policy" }] },
      { seq: 6, field: "prevention", findings: [{ category: "hides_behind_policy", start: 33, end: 50, phrase: "head office rules" }] },
    ];
    assert.deepEqual(proposed.review, [...update, ...later]);

    const asRep = await call("GET", `/v1/tickets/${id}`, { headers: bearer(rep) });
    assert.deepEqual(asRep.body.review, [...update, ...later]);
    const asCustomer = await call("GET", `/v1/tickets/${id}`, { headers: bearer(token) });
    assert.equal(asCustomer.status, 200);
    assert.equal("review" in asCustomer.body, false, "the customer never sees the findings");
    assert.equal(asCustomer.body.last_seq, 6);
    const customerAnswer = await act(token, id, { type: "accept_make_good" });
    assert.equal("review" in customerAnswer, false, "nor in the answer to their own command");
    const events = await call("GET", `/v1/tickets/${id}/events?since=0`, { headers: bearer(token) });
    assert.ok(!JSON.stringify(events.body).includes("findings"));

    // Kept in D1, not only in the object's memory: a restart reloads them.
    await mend.restart();
    const reloaded = await call("GET", `/v1/tickets/${id}`, { headers: bearer(manager) });
    assert.deepEqual(reloaded.body.review, [...update, ...later]);
  });
});

describe("who is signed in", () => {
  test("GET /v1/session answers for a key and a session cookie, with what the console needs", async () => {
    await workspaceWithKeys("sessco", "Session & Co");
    const keys = await call("GET", "/v1/workspaces/sessco/keys", { headers: asAdmin() });
    assert.equal(keys.status, 200);
    const rep = (await call("POST", "/v1/workspaces/sessco/keys", { headers: asAdmin(), body: { role: "rep", label: "Sam Jones" } })).body.key;
    const policy = (await call("GET", "/v1/workspaces/sessco", { headers: asAdmin() })).body.make_good_policy;
    const expected = {
      workspace: "sessco",
      role: "rep",
      label: "Sam Jones",
      company: "Session & Co",
      currency: "USD",
      make_good_policy: policy,
      voice_terms: [],
      rep_names: false,
      record_public: false,
      time_zone: "Europe/London",
    };
    const byKey = await call("GET", "/v1/session", { headers: bearer(rep) });
    assert.equal(byKey.status, 200);
    // Everyone whose key is in force, oldest first, by their keys' labels.
    const colleagues = keys.body.keys.map((k) => ({ key_id: k.id, label: k.label }));
    const me = byKey.body.key_id;
    expected.key_id = me;
    expected.colleagues = [...colleagues, { key_id: me, label: "Sam Jones" }];
    assert.deepEqual(byKey.body, expected);
    assert.equal(byKey.headers.get("cache-control"), "no-store");

    const started = await call("POST", "/v1/session", { headers: bearer(rep) });
    assert.deepEqual(started.body, expected);
    const cookie = { Cookie: started.headers.get("set-cookie").split(";")[0] };
    assert.deepEqual((await call("GET", "/v1/session", { headers: cookie })).body, expected);

    assert.equal((await call("DELETE", "/v1/session", { headers: cookie })).status, 204);
    assertError(await call("GET", "/v1/session", { headers: cookie }), 401, "unauthenticated", undefined);
    assertError(await call("GET", "/v1/session"), 401, "unauthenticated", undefined);
    assertError(await call("GET", "/v1/session", { headers: asAdmin() }), 401, "unauthenticated", undefined);
    const { token } = await report("sessco");
    assertError(await call("GET", "/v1/session", { headers: bearer(token) }), 401, "unauthenticated", undefined);
  });
});

/** Milliseconds between two RFC 3339 times. */
const between = (from, to) => Date.parse(to) - Date.parse(from);
/** The median as the core defines it: the mean of the two middle ones, rounded down. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.floor((sorted[middle - 1] + sorted[middle]) / 2);
}
/** The Monday (UTC) of the week holding `day` (YYYY-MM-DD), as YYYY-MM-DD. */
function monday(day) {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() - ((at.getUTCDay() + 6) % 7));
  return at.toISOString().slice(0, 10);
}
const nextDay = (day) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe("the recovery record", () => {
  /** Four tickets driven through real commands; returns what the record must say of them. */
  async function seed(ws, { manager, rep }) {
    // Solved fast: apologised in the first update, promise kept, $30 given against $150 lost, rated 5.
    const fast = await report(ws, { cost: { money: { currency: "USD", minor_units: 15_000 } } });
    const apology = await act(rep, fast.id, { type: "update", text: "We're sorry we sent a broken lamp. A new one ships today.", next_update_by: inMinutes(120) });
    const fastFirst = apology.events.at(-1).at;
    await act(rep, fast.id, { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 3_000 }, note: "For the trouble." });
    await act(fast.token, fast.id, { type: "accept_make_good" });
    await act(rep, fast.id, { type: "propose_resolution", summary: "The new lamp was delivered.", prevention: "Lamps are now packed in foam." });
    const fastSolved = (await act(fast.token, fast.id, { type: "confirm_solved" })).events.at(-1).at;
    await act(fast.token, fast.id, { type: "rate", score: 5 });

    // Slow: no apology, a promise missed, escalated, reopened once, then solved and rated 3.
    const slow = await report(ws);
    const ack = await act(rep, slow.id, { type: "message", text: "Thank you, we are looking into it." });
    const slowFirst = ack.events.at(-1).at;
    // Flagged (the courier as the culprit), and sent all the same.
    await act(rep, slow.id, { type: "update", text: "The courier lost it; a new lamp is on order.", next_update_by: new Date(Date.now() + 1500).toISOString() });
    await until(
      async () => (await call("GET", `/v1/tickets/${slow.id}`, { headers: bearer(rep) })).body.promise?.missed,
      { attempts: 200, every: 50, what: "the promise to be recorded missed" },
    );
    await act(rep, slow.id, { type: "escalate", reason: "other_department_must_act" });
    // The rep hands it to the manager, who answers from then on as its owner.
    const managerId = (await call("GET", "/v1/session", { headers: bearer(manager) })).body.key_id;
    await act(rep, slow.id, { type: "hand_over", to: managerId, note: "The supplier must act: over to you." });
    await act(manager, slow.id, { type: "propose_resolution", summary: "The lamp was replaced.", prevention: "Every lamp is tested." });
    await act(slow.token, slow.id, { type: "not_yet", reason: "The new one flickers." });
    await act(manager, slow.id, { type: "propose_resolution", summary: "An electrician fixed it.", prevention: "Every lamp is tested twice." });
    const slowSolved = (await act(slow.token, slow.id, { type: "confirm_solved" })).events.at(-1).at;
    await act(slow.token, slow.id, { type: "rate", score: 3 });

    // Unanswered, and withdrawn without an answer.
    const silent = await report(ws);
    const gaveUp = await report(ws);
    await act(gaveUp.token, gaveUp.id, { type: "withdraw" });

    const tickets = [fast, slow, silent, gaveUp];
    return {
      tickets,
      overall: {
        tickets: 4,
        solved: 2,
        withdrawn: 1,
        escalated: 1,
        unanswered: 2,
        median_first_response_ms: median([between(fast.reportedAt, fastFirst), between(slow.reportedAt, slowFirst)]),
        median_first_apology_ms: between(fast.reportedAt, fastFirst),
        median_confirmation_ms: median([between(fast.reportedAt, fastSolved), between(slow.reportedAt, slowSolved)]),
        promises: { made: 2, kept: 1, missed: 1 },
        promises_kept_percent: 50,
        // Every report promises a first answer; the two answered came within minutes.
        first_answers: { made: 4, kept: 2, missed: 0 },
        first_answers_kept_percent: 100,
        resolutions_proposed: 2,
        reopened: 1,
        reopen_rate_percent: 50,
        make_good_total: { currency: "USD", minor_units: 3_000 },
        harm_total: { currency: "USD", minor_units: 15_000 },
        ratings: [0, 0, 1, 0, 1],
        average_rating_tenths: 40,
        flagged: 1,
        found_first: 0,
        // The slow one went from the rep to the manager; every answer on both came from the owner of the time.
        handovers: 1,
        handed_over: 1,
        answered_by_owner: 2,
        // Solved minutes ago: a week is not up, so no fix was asked about yet.
        follow_ups: { asked: 0, held: 0, came_back: 0, unanswered: 0 },
        follow_ups_held_percent: null,
        // Anonymous reports with no email or order: none repeats another.
        repeat_reports: 0,
      },
    };
  }

  let seeded;
  let keys;
  before(async () => {
    keys = await workspaceWithKeys("recordco", "Record <Lamps> & Co");
    seeded = await seed("recordco", keys);
  });

  test("adds up the seeded tickets to exact figures, overall and by week", async () => {
    const days = seeded.tickets.map((t) => t.reportedAt.slice(0, 10)).sort();
    const [from, to] = [days[0], nextDay(days.at(-1))];
    const answer = await call("GET", `/v1/workspaces/recordco/record?from=${from}&to=${to}`, { headers: bearer(keys.rep) });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.headers.get("cache-control"), "no-store");
    assert.deepEqual({ ...answer.body, weeks: undefined }, { from, to, currency: "USD", overall: seeded.overall, weeks: undefined });

    const mondays = [...new Set([monday(from), monday(to)])];
    assert.deepEqual(answer.body.weeks.map((w) => w.week), mondays);
    const byWeek = Object.fromEntries(answer.body.weeks.map((w) => [w.week, w.record.tickets]));
    const expectedByWeek = Object.fromEntries(mondays.map((m) => [m, seeded.tickets.filter((t) => monday(t.reportedAt.slice(0, 10)) === m).length]));
    assert.deepEqual(byWeek, expectedByWeek);
    if (mondays.length === 1) assert.deepEqual(answer.body.weeks[0].record, seeded.overall);

    // A manager reads the same; a day before the first report holds nothing.
    const asManager = await call("GET", `/v1/workspaces/recordco/record?from=${from}&to=${to}`, { headers: bearer(keys.manager) });
    assert.deepEqual(asManager.body, answer.body);
    const before = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const empty = await call("GET", `/v1/workspaces/recordco/record?from=${before}&to=${before}`, { headers: bearer(keys.rep) });
    assert.equal(empty.status, 200);
    assert.equal(empty.body.overall.tickets, 0);
    assert.equal(empty.body.overall.make_good_total, null);
  });

  test("without a period, the last 12 full weeks", async () => {
    const answer = await call("GET", "/v1/workspaces/recordco/record", { headers: bearer(keys.rep) });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.weeks.length, 12);
    const thisMonday = monday(new Date().toISOString().slice(0, 10));
    assert.equal(nextDay(answer.body.to), thisMonday);
    assert.equal(answer.body.from, answer.body.weeks[0].week);
    // This week's tickets are not in a full week yet.
    assert.equal(answer.body.overall.tickets, 0);
  });

  test("a period that cannot be is 400 invalid_period naming the field; others' keys learn nothing", async () => {
    const ask = (query, key = keys.rep) => call("GET", `/v1/workspaces/recordco/record?${query}`, { headers: bearer(key) });
    assertError(await ask("from=2026-11-10&to=2026-11-01"), 400, "invalid_period", "to");
    assertError(await ask("from=2025-01-01&to=2026-01-02"), 400, "invalid_period", "to");
    assertError(await ask("from=01/11/2026&to=2026-11-10"), 400, "invalid_period", "from");
    assertError(await ask("from=2026-11-01"), 400, "invalid_period", "to");
    assertError(await ask("to=2026-11-01"), 400, "invalid_period", "from");
    assert.equal((await ask("from=2024-01-01&to=2024-12-31")).status, 200, "366 days is the most");
    assertError(await call("GET", "/v1/workspaces/recordco/record"), 401, "unauthenticated", undefined);
    assertError(await ask("", mend.repKey), 404, "not_found", undefined);
    assertError(await call("GET", "/v1/workspaces/nowhere/record", { headers: bearer(keys.rep) }), 404, "not_found", undefined);
  });

  test("the scorecard is nothing until published, except to the workspace's own people, who preview it", async () => {
    const path = "/r/recordco";
    const hidden = await call("GET", path);
    assertError(hidden, 404, "not_found", undefined);
    const nobody = await call("GET", "/r/nobody");
    assert.deepEqual(hidden.body, nobody.body, "unpublished reads exactly like no workspace at all");
    assertError(await call("GET", path, { headers: bearer(mend.repKey) }), 404, "not_found", undefined);

    const preview = await call("GET", path, { headers: bearer(keys.rep) });
    assert.equal(preview.status, 200);
    assert.match(preview.body, /Not published\./);
    assert.equal(preview.headers.get("cache-control"), "private, no-store");
    const session = await call("POST", "/v1/session", { headers: bearer(keys.manager) });
    const viaCookie = await call("GET", path, { headers: { Cookie: session.headers.get("set-cookie").split(";")[0] } });
    assert.equal(viaCookie.status, 200);
    assert.match(viaCookie.body, /Not published\./);

    assertError(await call("PATCH", "/v1/workspaces/recordco", { headers: bearer(keys.rep), body: { record_public: true } }), 403, "forbidden", undefined);
    const published = await call("PATCH", "/v1/workspaces/recordco", { headers: bearer(keys.manager), body: { record_public: true } });
    assert.equal(published.body.record_public, true);
    const days = seeded.tickets.map((t) => t.reportedAt.slice(0, 10)).sort();
    const page = await call("GET", `${path}?from=${days[0]}&to=${days.at(-1)}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(page.headers.get("cache-control"), "public, max-age=60");
    assert.doesNotMatch(page.body, /Not published/);

    // The company's words escaped; every figure there; no script at all.
    assert.match(page.body, /<h1>How Record &#60;Lamps&#62; &#38; Co recovers<\/h1>/);
    assert.ok(!page.body.includes("<Lamps>"));
    assert.doesNotMatch(page.body, /<script/i);
    assert.match(page.body, /4 tickets reported from/);
    for (const [name, value] of [
      ["Median time to first apology", null],
      ["First answers on time", "100%"],
      ["Promises kept", "50%"],
      ["Median time to the customer's confirmation", null],
      ["Reopen rate", "50%"],
      ["Make-goods against reported harm", "\\$30"],
      ["How customers feel afterwards", "4\\.0 of 5"],
      ["Fixes that held", "—"],
      ["Problems we found first", "0"],
      ["Tickets escalated", "1"],
    ]) {
      // As the page's source spells it: every text on the page is escaped alike, Mend's own words too.
      const heading = name.replaceAll("'", "&#39;");
      assert.match(page.body, new RegExp(`<h2 id="f\\d">${heading}</h2>`), name);
      if (value) assert.match(page.body, new RegExp(`${heading}</h2>\\s*<p class="value">${value}</p>`), name);
    }
    assert.match(page.body, /against \$150 of harm customers reported/);
    assert.equal((page.body.match(/<svg [^>]*role="img"/g) ?? []).length, 10);
    assert.equal((page.body.match(/<title id="f\d+t">/g) ?? []).length, 10);

    // A strict CSP: the one stylesheet by its hash, nothing inline allowed, embeddable anywhere.
    const csp = page.headers.get("content-security-policy");
    const style = page.body.match(/<style>([\s\S]*?)<\/style>/)[1];
    const hash = createHash("sha256").update(style).digest("base64");
    assert.equal(csp, `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors *`);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assertError(await call("GET", `${path}?from=2026-11-10&to=2026-11-01`), 400, "invalid_period", "to");

    const withdrawn = await call("PATCH", "/v1/workspaces/recordco", { headers: bearer(keys.manager), body: { record_public: false } });
    assert.equal(withdrawn.body.record_public, false);
    assertError(await call("GET", path), 404, "not_found", undefined);
  });

  test("the scorecard passes axe-core in light and dark, and runs no script", async () => {
    assert.equal((await call("PATCH", "/v1/workspaces/recordco", { headers: bearer(keys.manager), body: { record_public: true } })).status, 200);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      for (const colorScheme of ["light", "dark"]) {
        // axe is injected past the page's CSP, which would (rightly) refuse it.
        const context = await browser.newContext({ colorScheme, bypassCSP: true });
        const page = await context.newPage();
        const found = [];
        // The browser's own guess at a favicon is no part of the page.
        const ownError = (message) => message.type() === "error" && !message.location().url.endsWith("/favicon.ico");
        page.on("console", (message) => ownError(message) && found.push(`console: ${message.text()}`));
        const response = await page.goto(`${mend.url}/r/recordco`);
        assert.equal(response.status(), 200);
        found.push(...(await violations(page)));
        assert.deepEqual(found, [], `${colorScheme}: ${found.join("\n")}`);
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(background, colorScheme === "dark" ? "rgb(17, 24, 39)" : "rgb(255, 255, 255)", "the page follows the reader's scheme");
        await context.close();
      }
      // Without bypassing it, the CSP holds: the stylesheet applies, nothing inline is refused.
      const strict = await browser.newContext();
      const page = await strict.newPage();
      const refused = [];
      page.on("console", (message) => !message.location().url.endsWith("/favicon.ico") && refused.push(message.text()));
      await page.goto(`${mend.url}/r/recordco`);
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("main")).maxWidth), "960px");
      assert.deepEqual(refused, []);
      await strict.close();
    } finally {
      await browser.close();
    }
  });
});

describe("the live queue", () => {
  /** A console's socket on the live queue; `received` collects its messages. */
  function listenQueue(protocols, headers) {
    const socket = new WebSocket(`${mend.url.replace("http", "ws")}/v1/queue/live`, { protocols, headers });
    const received = [];
    socket.onmessage = (message) => received.push(JSON.parse(message.data));
    const opened = new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error("WebSocket failed"));
    });
    return { socket, received, opened };
  }

  test("a new report and the customer's answer reach every console of the workspace, and only of it", async () => {
    const { rep, manager } = await workspaceWithKeys("liveco");
    const session = await call("POST", "/v1/session", { headers: bearer(manager) });
    const cookie = session.headers.get("set-cookie").split(";")[0];
    const byKey = listenQueue(["mend.v1", `mend.auth.${rep}`]);
    const byCookie = listenQueue(["mend.v1"], { Cookie: cookie });
    const elsewhere = listenQueue(["mend.v1", `mend.auth.${mend.repKey}`]);
    await Promise.all([byKey.opened, byCookie.opened, elsewhere.opened]);
    assert.equal(byKey.socket.protocol, "mend.v1");
    try {
      const { id, token } = await report("liveco");
      const reported = { type: "queue_changed", ticket_id: id, seq: 1 };
      await until(() => byKey.received.length >= 1 && byCookie.received.length >= 1, { what: "queue_changed for the report" });
      assert.deepEqual(byKey.received, [reported]);
      assert.deepEqual(byCookie.received, [reported]);

      await act(rep, id, { type: "ask", question: "Which lamp was it?" });
      await act(token, id, { type: "message", text: "The tall one." });
      const answered = { type: "queue_changed", ticket_id: id, seq: 3 };
      await until(() => byKey.received.length >= 3, { what: "queue_changed for the customer's answer" });
      assert.deepEqual(byKey.received, [reported, { ...answered, seq: 2 }, answered]);
      await until(() => byCookie.received.length >= 3, { what: "the cookie's console to catch up" });

      // Acme's console heard nothing of liveco; an Acme report reaches it.
      const acme = await report("acme");
      await until(() => elsewhere.received.length >= 1, { what: "queue_changed on Acme's console" });
      assert.deepEqual(elsewhere.received, [{ type: "queue_changed", ticket_id: acme.id, seq: 1 }]);
      assert.equal(byKey.received.length, 3);
    } finally {
      for (const { socket } of [byKey, byCookie, elsewhere]) socket.close();
    }
  });

  test("customers and strangers get no queue socket", async () => {
    const { token } = await report("acme");
    for (const protocols of [["mend.v1"], ["mend.v1", `mend.auth.${token}`], ["mend.v1", "mend.auth.mend_rk_unknown"]]) {
      const { opened } = listenQueue(protocols);
      await assert.rejects(opened, /WebSocket failed/, `${protocols}`);
    }
    const plain = await call("GET", "/v1/queue/live", { headers: bearer(mend.repKey) });
    assertError(plain, 426, "upgrade_required", undefined);
  });
});
