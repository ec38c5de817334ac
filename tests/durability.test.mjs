// Nothing acknowledged is ever lost, and everyone sees one history: the
// ticket's Durable Object orders concurrent commands and keeps its log
// across a restart of the runtime, live clients resume exactly where they
// were, and D1 — the index the queue and the record read — converges to
// exactly the objects' logs, through D1 failures and restarts alike.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startMend, inMinutes, listen, until } from "./support/mend.mjs";

let mend;
// A thousand reports in one minute from one address, for references under load.
before(async () => (mend = await startMend({ vars: { REPORTS_PER_MINUTE_PER_ADDRESS: "5000", REPORTS_PER_MINUTE_PER_WORKSPACE: "5000" } })));
after(async () => mend?.stop());

async function post(path, token, body) {
  const response = await fetch(mend.url + path, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function report() {
  const created = await post("/v1/reports", "none", { workspace: "acme", what_happened: "Two chairs arrived broken." });
  assert.equal(created.status, 201);
  return { id: created.body.ticket.id, token: created.body.customer_token };
}

async function events(id, token, since = 0) {
  const response = await fetch(`${mend.url}/v1/tickets/${id}/events?since=${since}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return (await response.json()).events;
}

test("concurrent commands from several clients end in one order that every client sees", async () => {
  const { id, token } = await report();
  const watchers = [listen(mend.url, id, token, 0), listen(mend.url, id, token, 0), listen(mend.url, id, token, 0)];
  await Promise.all(watchers.map((w) => w.opened));

  const messages = Array.from({ length: 20 }, (_, i) => ({
    token: i % 2 ? token : mend.repKey,
    text: `message ${i + 1} from ${i % 2 ? "the customer" : "the company"}`,
  }));
  const answers = await Promise.all(messages.map((m) => post(`/v1/tickets/${id}/commands`, m.token, { type: "message", text: m.text })));
  assert.deepEqual(answers.map((a) => a.status), Array(20).fill(200));

  await Promise.all(watchers.map((w) => until(() => w.received.length === 21, { what: "all 21 events on every socket" })));
  const stored = await events(id, token);
  assert.deepEqual(stored.map((e) => e.seq), Array.from({ length: 21 }, (_, i) => i + 1));
  assert.deepEqual(new Set(stored.slice(1).map((e) => e.text)), new Set(messages.map((m) => m.text)));
  for (const watcher of watchers) {
    assert.deepEqual(watcher.received, stored, "every client sees the stored order, nothing twice");
    watcher.socket.close();
  }
  // Each acknowledgement already held its own event, at its place in the order.
  for (const [i, answer] of answers.entries()) {
    assert.ok(answer.body.events.some((e) => e.text === messages[i].text));
  }
  await projected(mend, id, token);
});

test("a restart of the runtime loses nothing acknowledged, and live clients resume exactly", async () => {
  const { id, token } = await report();
  for (const text of ["Replacements are ordered.", "They ship on Monday."]) {
    const answer = await post(`/v1/tickets/${id}/commands`, mend.repKey, { type: "update", text, next_update_by: inMinutes(120) });
    assert.equal(answer.status, 200);
  }
  const before = await events(id, token);
  assert.deepEqual(before.map((e) => e.seq), [1, 2, 3]);
  const watcher = listen(mend.url, id, token, 0);
  await watcher.opened;
  await until(() => watcher.received.length === 3, { what: "the backlog" });

  await mend.restart();
  await watcher.closed;

  assert.deepEqual(await events(id, token), before, "every acknowledged event survived");
  const resumed = listen(mend.url, id, token, watcher.received.at(-1).seq);
  await resumed.opened;
  const after = await post(`/v1/tickets/${id}/commands`, mend.repKey, { type: "update", text: "Tracking number sent.", next_update_by: inMinutes(120) });
  assert.equal(after.status, 200);
  assert.equal(after.body.last_seq, 4);
  await until(() => resumed.received.length === 1, { what: "the update after the restart" });
  assert.deepEqual(resumed.received.map((e) => [e.seq, e.text]), [[4, "Tracking number sent."]]);
  assert.deepEqual(after.body.promises, { made: 3, kept: 2, missed: 0 });
  resumed.socket.close();
});

/**
 * Waits until D1 holds exactly ticket `id`'s log as its object answers the
 * company (every event once, in order, with the same body, and the ticket's
 * row at its last event), and returns the log as `token` reads it.
 */
async function projected(instance, id, token) {
  const log = await eventsOf(instance, id, instance.repKey);
  const last = log.at(-1).seq;
  await until(
    async () => {
      const [row] = await instance.d1(`SELECT last_seq FROM tickets WHERE id = '${id}'`);
      return row?.last_seq === last;
    },
    { attempts: 300, what: `ticket ${id} projected up to event ${last}` },
  );
  const rows = await instance.d1(`SELECT seq, body FROM events WHERE ticket_id = '${id}' ORDER BY seq`);
  assert.deepEqual(rows.map((row) => row.seq), log.map((event) => event.seq), "every event in D1 once, in order");
  assert.deepEqual(rows.map((row) => JSON.parse(row.body)), log, "D1's events are the object's");
  const [ticket] = await instance.d1(`SELECT status, standing FROM tickets WHERE id = '${id}'`);
  const view = await (await fetch(`${instance.url}/v1/tickets/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  assert.equal(ticket.status, view.status);
  assert.equal(JSON.parse(ticket.standing).status, view.status);
  return eventsOf(instance, id, token);
}

async function eventsOf(instance, id, token) {
  const response = await fetch(`${instance.url}/v1/tickets/${id}/events?since=0`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return (await response.json()).events;
}

async function postTo(instance, path, token, body) {
  const response = await fetch(instance.url + path, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function queueIds(instance) {
  const response = await fetch(`${instance.url}/v1/queue`, { headers: { Authorization: `Bearer ${instance.repKey}` } });
  assert.equal(response.status, 200);
  return (await response.json()).tickets.map((ticket) => ticket.id);
}

describe("D1 is the index, the object keeps the log", () => {
  test("while D1 writes fail, commands are acknowledged and live; the outbox retries until D1 holds exactly the log", async () => {
    // The test hook fails the first 12 projection attempts of the runtime, as an unreachable D1 would.
    const failing = await startMend({ vars: { MEND_FAIL_PROJECTIONS: "12" } });
    try {
      const created = await postTo(failing, "/v1/reports", "none", { workspace: "acme", what_happened: "The lamp arrived without its shade." });
      assert.equal(created.status, 201);
      const { id } = created.body.ticket;
      const token = created.body.customer_token;
      const watcher = listen(failing.url, id, token, 0);
      await watcher.opened;
      const steps = [
        [failing.repKey, { type: "update", text: "A shade is on its way.", next_update_by: inMinutes(120) }],
        [token, { type: "message", text: "Thank you, is it the same colour?" }],
        [failing.repKey, { type: "message", text: "Yes, the same linen white." }],
        [failing.repKey, { type: "propose_resolution", summary: "The shade was delivered today.", prevention: "We now check lamps for shades before they ship." }],
      ];
      for (const [who, body] of steps) {
        const answer = await postTo(failing, `/v1/tickets/${id}/commands`, who, body);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
      }
      await until(() => watcher.received.length === 5, { what: "every event on the live socket" });
      // Every projection so far failed: the index has not heard of the ticket, the object has all of it.
      assert.deepEqual(await failing.d1(`SELECT id FROM tickets WHERE id = '${id}'`), []);
      assert.ok(!(await queueIds(failing)).includes(id));
      assert.deepEqual((await eventsOf(failing, id, token)).map((e) => e.seq), [1, 2, 3, 4, 5]);
      // The hook runs out; the alarm's retries land the whole log.
      const log = await projected(failing, id, token);
      assert.deepEqual(watcher.received, log, "the live socket saw the log, nothing twice");
      const queued = await until(async () => (await queueIds(failing)).includes(id), { attempts: 100, what: "the ticket in the queue" });
      assert.ok(queued);
      const [row] = await failing.d1(`SELECT record FROM tickets WHERE id = '${id}'`);
      assert.ok(JSON.parse(row.record), "the ticket's record is projected with it");
      watcher.socket.close();
    } finally {
      await failing.stop();
    }
  });

  test("a restart mid-dispatch loses no outbox row and projects no row twice", async () => {
    // Every projection fails until the runtime is restarted without the hook.
    const stuck = await startMend({ vars: { MEND_FAIL_PROJECTIONS: "100000" } });
    try {
      const created = await postTo(stuck, "/v1/reports", "none", { workspace: "acme", what_happened: "The sofa legs are the wrong height." });
      assert.equal(created.status, 201);
      const { id } = created.body.ticket;
      const token = created.body.customer_token;
      for (const text of ["Correct legs are ordered.", "They arrive on Thursday."]) {
        const answer = await postTo(stuck, `/v1/tickets/${id}/commands`, stuck.repKey, { type: "update", text, next_update_by: inMinutes(120) });
        assert.equal(answer.status, 200);
      }
      assert.deepEqual(await stuck.d1(`SELECT seq FROM events WHERE ticket_id = '${id}'`), [], "nothing projected yet");
      await stuck.restart({ vars: { MEND_FAIL_PROJECTIONS: "0" } });
      // Nobody touches the ticket: its persisted alarm picks the outbox up after the restart.
      const log = await projected(stuck, id, token);
      assert.deepEqual(log.map((e) => e.seq), [1, 2, 3]);
      const [count] = await stuck.d1(`SELECT count(*) AS n FROM events WHERE ticket_id = '${id}'`);
      assert.equal(count.n, 3);
    } finally {
      await stuck.stop();
    }
  });

  test("a ticket D1 held before objects kept logs loads into its object on first touch, every event intact", async () => {
    // A ticket made today gives events of the stored shape; they are seeded under a new id the old way: D1 only.
    const model = await report();
    const update = await post(`/v1/tickets/${model.id}/commands`, mend.repKey, { type: "update", text: "Sorry, the courier lost it; a new one ships today.", next_update_by: inMinutes(90) });
    assert.equal(update.status, 200);
    await post(`/v1/tickets/${model.id}/commands`, model.token, { type: "message", text: "Thanks for telling me." });
    const staffView = await (await fetch(`${mend.url}/v1/tickets/${model.id}`, { headers: { Authorization: `Bearer ${mend.repKey}` } })).json();
    const modelLog = staffView.events;
    assert.equal(modelLog.length, 3);
    assert.ok(staffView.review.length > 0, "the reviewer flagged the courier");

    const id = createHash("sha256").update(`old ticket ${Date.now()}`).digest("hex").slice(0, 32);
    const token = "mend_ct_" + createHash("sha256").update(id).digest("base64url");
    const hash = createHash("sha256").update(token).digest("hex");
    const quote = (text) => `'${String(text).replaceAll("'", "''")}'`;
    const findings = (seq) => {
      const reviews = staffView.review.filter((r) => r.seq === seq);
      return reviews.length ? quote(JSON.stringify(reviews)) : "NULL";
    };
    const at = modelLog[0].at;
    await mend.d1(
      // Numbered as migration 0008 numbers the tickets it finds.
      `UPDATE workspaces SET tickets_numbered = tickets_numbered + 1 WHERE id = 'acme';
       INSERT INTO tickets (id, workspace_id, token_hash, status, next_update_by, created_at, updated_at, standing, headline, last_seq, number)
       VALUES (${quote(id)}, 'acme', ${quote(hash)}, 'in_progress', NULL, ${quote(at)}, ${quote(modelLog[2].at)}, '{}', 'Old ticket', 3,
               (SELECT tickets_numbered FROM workspaces WHERE id = 'acme'));` +
        modelLog.map((e) => `INSERT INTO events (ticket_id, seq, at, body, findings) VALUES (${quote(id)}, ${e.seq}, ${quote(e.at)}, ${quote(JSON.stringify(e))}, ${findings(e.seq)});`).join(""),
    );

    assert.deepEqual(await eventsOf(mend, id, mend.repKey), modelLog, "every stored event, as it was");
    assert.equal((await eventsOf(mend, id, token)).length, 3, "and the old token still opens it");
    const staff = await (await fetch(`${mend.url}/v1/tickets/${id}`, { headers: { Authorization: `Bearer ${mend.repKey}` } })).json();
    assert.deepEqual(staff.review, staffView.review, "and what the reviewer flagged");
    assert.match(staff.reference, /^ACM-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/, "and the reference its number gives");
    const byReference = await fetch(`${mend.url}/v1/tickets/${staff.reference}`, { headers: { Authorization: `Bearer ${mend.repKey}` } });
    assert.equal((await byReference.json()).id, id);
    const next = await post(`/v1/tickets/${id}/commands`, mend.repKey, { type: "message", text: "It has shipped." });
    assert.equal(next.status, 200);
    assert.equal(next.body.last_seq, 4);
    const log = await projected(mend, id, mend.repKey);
    assert.deepEqual(log.slice(0, 3), modelLog, "the old events are unchanged in the object and in D1");
    const wrong = await fetch(`${mend.url}/v1/tickets/${id}`, { headers: { Authorization: `Bearer mend_ct_${"x".repeat(43)}` } });
    assert.equal(wrong.status, 404, "the old ticket's token still guards it");
  });

  test("200 reports from 16 clients across 4 workspaces end with every ticket in D1 exactly once", async () => {
    const workspaces = ["acme"];
    for (const n of [2, 3, 4]) {
      const id = `load-${n}-${Date.now()}`;
      const created = await postTo(mend, "/v1/workspaces", mend.adminToken, { id, name: `Load ${n}`, apology: "We are sorry, and we are on it." });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      workspaces.push(id);
    }
    const made = [];
    let next = 0;
    const client = async () => {
      while (next < 200) {
        const i = next++;
        const answer = await postTo(mend, "/v1/reports", "none", { workspace: workspaces[i % 4], what_happened: `Load report ${i}.` });
        assert.equal(answer.status, 201, JSON.stringify(answer.body));
        made.push({ id: answer.body.ticket.id, workspace: workspaces[i % 4] });
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    assert.equal(new Set(made.map((t) => t.id)).size, 200);
    const ids = made.map((t) => `'${t.id}'`).join(",");
    const rows = await until(
      async () => {
        const rows = await mend.d1(`SELECT id, workspace_id, last_seq FROM tickets WHERE id IN (${ids})`);
        return rows.length === 200 && rows.every((row) => row.last_seq === 1) && rows;
      },
      { attempts: 300, what: "all 200 tickets in D1" },
    );
    assert.deepEqual(
      rows.map((row) => `${row.id} ${row.workspace_id}`).sort(),
      made.map((t) => `${t.id} ${t.workspace}`).sort(),
      "each ticket once, in its own workspace",
    );
    const [events] = await mend.d1(`SELECT count(*) AS n, count(DISTINCT ticket_id) AS tickets FROM events WHERE ticket_id IN (${ids})`);
    assert.deepEqual(events, { n: 200, tickets: 200 });
  });
});

test("1,000 concurrent reports in one workspace get 1,000 different references, each naming its own ticket", async () => {
  const workspace = `refs-${Date.now()}`;
  const created = await post("/v1/workspaces", mend.adminToken, { id: workspace, name: "Refs", apology: "We are sorry, and we are on it." });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const key = await post(`/v1/workspaces/${workspace}/keys`, mend.adminToken, { role: "rep", label: "Sam" });
  assert.equal(key.status, 201, JSON.stringify(key.body));
  const made = [];
  let next = 0;
  const client = async () => {
    while (next < 1000) {
      next++;
      const answer = await post("/v1/reports", "none", { workspace, what_happened: `Reference report ${next}.` });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      made.push(answer.body.ticket);
    }
  };
  await Promise.all(Array.from({ length: 32 }, client));
  assert.equal(made.length, 1000);
  const references = made.map((ticket) => ticket.reference);
  assert.equal(new Set(references).size, 1000, "no two alike");
  for (const reference of references) assert.match(reference, /^REF-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/);
  // D1 holds each ticket with its own number: 1 to 1,000, once each.
  const rows = await until(
    async () => {
      const rows = await mend.d1(`SELECT number FROM tickets WHERE workspace_id = '${workspace}' ORDER BY number`);
      return rows.length === 1000 && rows;
    },
    { attempts: 300, what: "all 1,000 tickets in D1" },
  );
  assert.deepEqual(rows.map((row) => row.number), Array.from({ length: 1000 }, (_, i) => i + 1));
  // The API finds each by its reference, however a person types it.
  const repKey = key.body.key;
  for (const ticket of made.slice(0, 50)) {
    const typed = [ticket.reference, ticket.reference.toLowerCase(), ticket.reference.replaceAll("-", "").slice(3)][ticket.reference.charCodeAt(5) % 3];
    const found = await fetch(`${mend.url}/v1/tickets/${typed}`, { headers: { Authorization: `Bearer ${repKey}` } });
    assert.equal(found.status, 200, typed);
    const view = await found.json();
    assert.deepEqual([view.id, view.reference], [ticket.id, ticket.reference]);
  }
  // A reference names a ticket and grants nothing: not to its customer's token, not to another workspace.
  const [first] = made;
  for (const token of [mend.repKey, (await post("/v1/reports", "none", { workspace, what_happened: "Another." })).body.customer_token]) {
    const refused = await fetch(`${mend.url}/v1/tickets/${first.reference}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(refused.status, 404);
    assert.equal((await refused.json()).error.code, "not_found");
  }
});

