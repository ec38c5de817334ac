// The fix held: a set time after the customer confirmed a problem solved,
// Mend asks them whether everything is still right — by email and in the
// widget — and records the answer without ever moving the solved ticket.
// "It came back" opens a new ticket linked to the old one, looked after by
// the same colleague and first in the queue. Real worker in `wrangler dev`
// with the documented test hook FOLLOW_UP_AFTER_MS (off by default: the
// workspace's `follow_up_days`), the run's recording inbox, real Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { inMinutes, startMend, until } from "./support/mend.mjs";
import { hostPage, launchBrowser } from "./support/widget-page.mjs";
import { ConsolePage } from "./support/console-page.mjs";
import * as http from "./support/http.mjs";
import { assertError } from "./support/http.mjs";
import { assertAccessible } from "./support/axe.mjs";

/** How long after "solved" this run's Mend asks whether the fix held. */
const FOLLOW_UP_MS = 1500;

let mend;
let browser;
before(async () => {
  mend = await startMend({ hostPage, vars: { FOLLOW_UP_AFTER_MS: String(FOLLOW_UP_MS), EMAIL_COALESCE_MS: "0" } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mend?.stop();
});

const call = (method, path, options) => http.call(mend.url, method, path, options);

/** Creates workspace `id` with a manager and a rep key; the rep signs as "Sam". */
async function workspace(id) {
  const admin = mend.adminToken;
  const created = await call("POST", "/v1/workspaces", { token: admin, body: { id, name: `${id} Ltd`, apology: "We're sorry: we got this wrong." } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const key = async (role, label) => (await call("POST", `/v1/workspaces/${id}/keys`, { token: admin, body: { role, label } })).body.key;
  return { manager: await key("manager", "Mia, support lead"), rep: await key("rep", "Sam, support") };
}

/** A report to `ws`, solved by its customer after the rep's update and proposal: its id and token. */
async function solved(ws, keys, fields = {}) {
  const created = await call("POST", "/v1/reports", { body: { workspace: ws, what_happened: "The armchair leg snapped.", ...fields } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { id } = created.body.ticket;
  const token = created.body.customer_token;
  const act = async (who, body) => {
    const answer = await call("POST", `/v1/tickets/${id}/commands`, { token: who, body });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  await act(keys.rep, { type: "update", text: "We're sorry. A new leg ships today.", next_update_by: inMinutes(120) });
  await act(keys.rep, { type: "propose_resolution", summary: "The new leg was fitted.", prevention: "Legs are now checked at packing." });
  await act(token, { type: "confirm_solved" });
  return { id, token, act };
}

/** Waits until Mend has asked ticket `id` whether the fix held; returns the ticket as its customer sees it. */
async function asked(id, token) {
  return until(
    async () => {
      const seen = await call("GET", `/v1/tickets/${id}`, { token });
      return seen.body.follow_up === "asked" && seen.body;
    },
    { attempts: 200, every: 50, what: "the follow-up to be asked" },
  );
}

test("the follow-up delay is a workspace setting of 1 to 30 days, 7 unless set", async () => {
  const keys = await workspace("daysco");
  const read = await call("GET", "/v1/workspaces/daysco", { token: keys.manager });
  assert.equal(read.body.follow_up_days, 7);
  for (const days of [0, 31, -1]) {
    assertError(await call("PATCH", "/v1/workspaces/daysco", { token: keys.manager, body: { follow_up_days: days } }), 422, "validation", "follow_up_days");
  }
  // Not a whole number at all is not the request's shape, as for every whole number Mend takes.
  for (const days of [2.5, "seven"]) {
    assertError(await call("PATCH", "/v1/workspaces/daysco", { token: keys.manager, body: { follow_up_days: days } }), 400, "malformed_json");
  }
  assert.equal((await call("GET", "/v1/workspaces/daysco", { token: keys.manager })).body.follow_up_days, 7, "nothing changed");
  assertError(await call("PATCH", "/v1/workspaces/daysco", { token: keys.rep, body: { follow_up_days: 14 } }), 403, "forbidden");
  const set = await call("PATCH", "/v1/workspaces/daysco", { token: keys.manager, body: { follow_up_days: 14 } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.follow_up_days, 14);
});

test("Mend asks once, after the delay, by email; only the customer answers, once; the ticket stays solved", async () => {
  const keys = await workspace("heldco");
  const email = "ana@example.com";
  const { id, token, act } = await solved("heldco", keys, { contact_email: email });
  const early = await call("POST", `/v1/tickets/${id}/commands`, { token, body: { type: "answer_follow_up", held: true } });
  assertError(early, 409, "invalid_transition");

  const ticket = await asked(id, token);
  assert.equal(ticket.status, "solved");
  const question = ticket.events.at(-1);
  assert.deepEqual({ by: question.by, type: question.type }, { by: "system", type: "follow_up_asked" });
  assert.equal(ticket.events.filter((e) => e.type === "follow_up_asked").length, 1, "asked once");

  // The email names the day it was solved and asks.
  const solvedOn = new Date(ticket.events.find((e) => e.type === "confirmed_solved").at)
    .toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "Europe/London" });
  const mail = await until(() => mend.mailbox.messages.find((m) => m.envelope.to === email && /still right/.test(m.text)), {
    attempts: 200,
    every: 50,
    what: "the follow-up email",
  });
  assert.match(mail.text, new RegExp(`You told us on ${solvedOn} that this was solved:\\nThe armchair leg snapped\\.`));
  assert.match(mail.text, /Is everything still right\? Tell us: it held, or it came back\./);

  const send = (who, body) => call("POST", `/v1/tickets/${id}/commands`, { token: who, body });
  assertError(await send(keys.rep, { type: "answer_follow_up", held: true }), 403, "forbidden");
  assertError(await send(token, { type: "answer_follow_up" }), 422, "validation", "held");
  assertError(await send(token, { type: "answer_follow_up", held: false, what_happened: " " }), 422, "validation", "what_happened");
  const held = await send(token, { type: "answer_follow_up", held: true });
  assert.equal(held.status, 200, JSON.stringify(held.body));
  assert.equal(held.body.status, "solved");
  assert.equal(held.body.follow_up, "held");
  assert.deepEqual(held.body.events.at(-1).held, true);
  assertError(await send(token, { type: "answer_follow_up", held: false, what_happened: "It broke again." }), 409, "invalid_transition");
  await act(token, { type: "rate", score: 5 });
});

test("it came back: a new ticket linked to the old, on the same order, looked after by the same colleague and first in the queue", async () => {
  const keys = await workspace("backco");
  const { id, token } = await solved("backco", keys, { order_id: "1042" });
  await asked(id, token);
  const answer = await call("POST", `/v1/tickets/${id}/commands`, {
    token,
    body: { type: "answer_follow_up", held: false, what_happened: "The leg snapped again this morning." },
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.status, "solved", "the solved ticket stays solved");
  assert.equal(answer.body.follow_up, "came_back");
  const reopened = answer.body.events.at(-1).reopened_as;
  assert.match(reopened, /^[0-9a-f]{32}$/);

  // The customer's own token opens the new ticket: their words, the same order, the old ticket linked.
  const fresh = await call("GET", `/v1/tickets/${reopened}`, { token });
  assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
  assert.equal(fresh.body.report.what_happened, "The leg snapped again this morning.");
  assert.equal(fresh.body.report.order_id, "1042");
  assert.equal(fresh.body.came_back_from, id);
  assert.equal(fresh.body.status, "reported");
  assert.deepEqual(fresh.body.owner, {}, "the customer is told no name: the workspace signs as one");

  // Sam answered the old one, so he looks after the new one, which leads his queue.
  const queue = await call("GET", "/v1/queue?filter=mine", { token: keys.rep });
  assert.deepEqual(queue.body.tickets.map((t) => [t.id, t.risk]), [[reopened, "came_back"]]);
  const whole = await call("GET", "/v1/queue", { token: keys.rep });
  assert.equal(whole.body.tickets[0].id, reopened, "first, above every other open ticket");
});

test("the record counts fixes asked about, held, came back and unanswered, exactly, and the scorecard shows them with their basis", async () => {
  const keys = await workspace("tallyco");
  const a = await solved("tallyco", keys);
  const b = await solved("tallyco", keys);
  const c = await solved("tallyco", keys);
  const open = await call("POST", "/v1/reports", { body: { workspace: "tallyco", what_happened: "Still open." } });
  assert.equal(open.status, 201);
  for (const t of [a, b, c]) await asked(t.id, t.token);
  await a.act(a.token, { type: "answer_follow_up", held: true });
  await b.act(b.token, { type: "answer_follow_up", held: false, what_happened: "It came back." });
  // c is asked and never answered: no answer, never "held".

  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const record = await call("GET", `/v1/workspaces/tallyco/record?from=${day(-1)}&to=${day(0)}`, { token: keys.manager });
  assert.equal(record.status, 200);
  const { tickets, follow_ups, follow_ups_held_percent } = record.body.overall;
  // Five tickets: three solved, one open, and the one b came back as.
  assert.equal(tickets, 5);
  assert.deepEqual(follow_ups, { asked: 3, held: 1, came_back: 1, unanswered: 1 });
  assert.equal(follow_ups_held_percent, 50);

  assert.equal((await call("PATCH", "/v1/workspaces/tallyco", { token: keys.manager, body: { record_public: true } })).status, 200);
  const page = await fetch(`${mend.url}/r/tallyco?from=${day(-1)}&to=${day(0)}`);
  const html = await page.text();
  assert.match(html, /Fixes that held/);
  assert.match(html, /1 of 2 answered follow-ups: the fix held \(50%\)\. 3 asked, 1 not answered\./);
});

test("a customer's journey: a rep answers and hands over, the new owner proposes, the customer confirms, is asked in the widget and by email, and it came back", async () => {
  const keys = await workspace("journeyco");
  const signs = await call("PATCH", "/v1/workspaces/journeyco", { token: keys.manager, body: { rep_names: true } });
  assert.equal(signs.status, 200);
  const email = "lea@example.com";
  const created = await call("POST", "/v1/reports", { body: { workspace: "journeyco", what_happened: "The lamp flickers.", contact_email: email } });
  const { id } = created.body.ticket;
  const token = created.body.customer_token;

  // The rep answers in the console (and so owns it), then hands it to the manager with a note.
  const rep = new ConsolePage(await browser.newPage(), mend.url);
  await rep.signIn(keys.rep);
  await rep.openTicket(id);
  await rep.byTestId("update-text").fill("We're sorry about the lamp. A new one is on its way.");
  await rep.byTestId("pick-4h").click();
  await rep.byTestId("send-update").click();
  await rep.byTestId("owner").filter({ hasText: "You look after this ticket." }).waitFor();
  await rep.compose("hand-over");
  await rep.byTestId("hand-over-to").selectOption({ label: "Mia, support lead" });
  await rep.byTestId("hand-over-note").fill("Mia: the supplier owes us a new batch.");
  await rep.byTestId("send-hand-over").click();
  await rep.byTestId("owner").filter({ hasText: "Mia, support lead looks after this ticket." }).waitFor();

  // The new owner proposes; the customer confirms in the widget on their private link.
  const manager = new ConsolePage(await browser.newPage(), mend.url);
  await manager.signIn(keys.manager);
  await manager.openTicket(id);
  await manager.compose("propose");
  await manager.byTestId("summary").fill("A new lamp from the new batch was delivered.");
  await manager.byTestId("prevention").fill("Lamps are now tested before they ship.");
  await manager.byTestId("send-proposal").click();
  const widget = await browser.newPage();
  await widget.goto(`${mend.url}/w/journeyco#ticket=${id}&token=${token}`);
  await widget.getByTestId("owner").filter({ hasText: "Mia is looking after your report." }).waitFor();
  await widget.getByTestId("confirm-yes").click();
  await widget.getByTestId("solved").waitFor();
  // The customer leaves; the follow-up finds them by email, with a link of its own, and in the widget it opens.
  await widget.close();
  const mail = await until(() => mend.mailbox.messages.find((m) => m.envelope.to === email && /still right/.test(m.text)), {
    attempts: 200,
    every: 50,
    what: "the follow-up email",
  });
  const link = mail.text.match(/https?:\/\/\S+#ticket=\S+/)[0];
  const fromEmail = await browser.newPage();
  await fromEmail.goto(link);
  await fromEmail.getByTestId("follow-up").filter({ hasText: "that this was solved. Is everything still right?" }).waitFor();
  await fromEmail.getByTestId("it-came-back").click();
  await fromEmail.getByTestId("came-back-what").fill("It flickers again since yesterday.");
  await fromEmail.getByTestId("send-came-back").click();
  // The widget follows the new report; the old one stays solved.
  await fromEmail.getByTestId("status").filter({ hasText: "We have your report." }).waitFor();
  const reopened = await fromEmail.getByTestId("ticket").getAttribute("data-ticket");
  assert.notEqual(reopened, id);
  assert.equal((await call("GET", `/v1/tickets/${id}`, { token: keys.rep })).body.status, "solved");
  await fromEmail.close();

  // The linked ticket leads Mia's queue, the old one's history a click away.
  await manager.byTestId("nav-queue").click();
  await manager.byTestId("filter-mine").click();
  await manager.queueItem(reopened).waitFor();
  assert.deepEqual((await manager.queueOrder())[0], reopened);
  assert.equal(await manager.queueItem(reopened).getAttribute("data-risk"), "came-back");
  await manager.openTicket(reopened);
  await manager.byTestId("came-back-from").waitFor();
  await manager.byTestId("open-old-ticket").click();
  await manager.byTestId("follow-up-status").filter({ hasText: "The customer said the problem came back." }).waitFor();
  await manager.byTestId("open-new-ticket").waitFor();
  await rep.page.close();
  await manager.page.close();
});

test("a manager previews a prevention note, publishes it on the scorecard, and withdraws it; a rep cannot; the scorecard passes axe", async () => {
  const keys = await workspace("changeco");
  assert.equal((await call("PATCH", "/v1/workspaces/changeco", { token: keys.manager, body: { record_public: true } })).status, 200);
  const { id } = await solved("changeco", keys, { contact_email: "ola@example.com" });
  const other = await workspace("otherco");
  assertError(await call("POST", "/v1/workspaces/otherco/changes", { token: other.manager, body: { ticket_id: id } }), 404, "not_found");
  assertError(await call("POST", "/v1/workspaces/changeco/changes", { token: keys.rep, body: { ticket_id: id } }), 403, "forbidden");
  assert.deepEqual((await call("GET", "/v1/workspaces/changeco/changes", { token: keys.rep })).body, { changes: [] }, "nothing changed");

  // The console shows the manager what the scorecard would show, then publishes it.
  const manager = new ConsolePage(await browser.newPage(), mend.url);
  await manager.signIn(keys.manager);
  await manager.page.goto(`${mend.url}/console/#/tickets/${id}`);
  const month = new Date().toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "Europe/London" });
  await manager.byTestId("change-preview").filter({ hasText: "Legs are now checked at packing." }).waitFor();
  assert.equal(await manager.byTestId("change-preview").locator(".month").textContent(), month);
  await manager.byTestId("publish").click();
  await manager.byTestId("withdraw-change").waitFor();
  const listed = (await call("GET", "/v1/workspaces/changeco/changes", { token: keys.rep })).body.changes;
  assert.deepEqual(listed.map((c) => [c.ticket_id, c.text, c.month]), [[id, "Legs are now checked at packing.", month]]);

  // The public scorecard: the company's words and the month, nothing of the customer's.
  const page = await browser.newPage();
  await page.goto(`${mend.url}/r/changeco`);
  const section = page.locator("section.changes");
  await section.getByText("Legs are now checked at packing.").waitFor();
  const shown = await section.innerText();
  assert.match(shown, new RegExp(`What we changed because customers told us\\s+${month}`));
  const body = await page.locator("body").innerText();
  assert.ok(!body.includes("armchair leg snapped") && !body.includes("ola@example.com") && !body.includes(id), "nothing of the customer's");
  await assertAccessible(page, "the scorecard");

  // Withdrawn: off the list and off the page.
  await manager.byTestId("withdraw-change").click();
  await manager.byTestId("publish").waitFor();
  assert.deepEqual((await call("GET", "/v1/workspaces/changeco/changes", { token: keys.rep })).body, { changes: [] });
  await page.reload();
  await page.locator(".figures").waitFor();
  assert.equal(await page.locator("section.changes").count(), 0);
  assertError(await call("DELETE", `/v1/workspaces/changeco/changes/${id}`, { token: keys.manager }), 404, "not_found");
  await page.close();
  await manager.page.close();
});
