// Nothing acknowledged is ever lost, and everyone sees one history: the
// ticket's Durable Object orders concurrent commands, D1 keeps them across
// a restart of the runtime, and live clients resume exactly where they were.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startMend, inMinutes, listen, until } from "./support/mend.mjs";

let mend;
before(async () => (mend = await startMend()));
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

  const messages = Array.from({ length: 12 }, (_, i) => ({
    token: i % 2 ? token : mend.repKey,
    text: `message ${i + 1} from ${i % 2 ? "the customer" : "the company"}`,
  }));
  const answers = await Promise.all(messages.map((m) => post(`/v1/tickets/${id}/commands`, m.token, { type: "message", text: m.text })));
  assert.deepEqual(answers.map((a) => a.status), Array(12).fill(200));

  await Promise.all(watchers.map((w) => until(() => w.received.length === 13, { what: "all 13 events on every socket" })));
  const stored = await events(id, token);
  assert.deepEqual(stored.map((e) => e.seq), Array.from({ length: 13 }, (_, i) => i + 1));
  assert.deepEqual(new Set(stored.slice(1).map((e) => e.text)), new Set(messages.map((m) => m.text)));
  for (const watcher of watchers) {
    assert.deepEqual(watcher.received, stored, "every client sees the stored order, nothing twice");
    watcher.socket.close();
  }
  // Each acknowledgement already held its own event, at its place in the order.
  for (const [i, answer] of answers.entries()) {
    assert.ok(answer.body.events.some((e) => e.text === messages[i].text));
  }
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
