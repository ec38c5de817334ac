// One spec per rep action in the console (/console/), in real headless
// Chromium against the real worker in `wrangler dev`: sign in and out (and
// stay signed in across a reload), the queue most at risk first and live
// over its socket, an update with its promise reaching the customer's
// widget, the one-voice reviewer before sending (with the workspace's own
// terms) and its findings kept on the text they flag, a proposal refused
// without its prevention note, escalation, make-goods in proportion for reps
// and managers and the rep's limit, settings for managers only, the recovery
// record's exact figures over seeded tickets, page addresses, a rep's turn
// by keyboard alone, and an axe-core scan of every view, light and dark.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { command, inMinutes, startMend, until } from "./support/mend.mjs";
import { WidgetPage, hostPage, launchBrowser } from "./support/widget-page.mjs";
import { ConsolePage } from "./support/console-page.mjs";
import { must } from "./support/http.mjs";
import * as axe from "./support/axe.mjs";
import { startReceiver } from "./support/receiver.mjs";

let mend;
let browser;
before(async () => {
  mend = await startMend({ hostPage, vars: { WEBHOOKS_ALLOW_LOOPBACK: "true" } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mend?.stop();
});

const api = (method, path, key, body) => must(mend.url, method, path, key, body);
const view = (ticket) => api("GET", `/v1/tickets/${ticket}`, mend.repKey);

/** A customer's report to `workspace`, as the widget would send it: its id, the customer's token and when it was reported. */
async function reportTo(workspace, fields) {
  const created = await fetch(`${mend.url}/v1/reports`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ workspace, ...fields }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { ticket, customer_token } = await created.json();
  return { id: ticket.id, token: customer_token, reportedAt: ticket.reported_at };
}

/** A customer's report to Acme; returns the ticket's id. */
async function report(fields) {
  return (await reportTo("acme", fields)).id;
}

/** Creates workspace `id` named `name` as Mend's admin; returns its manager's and a rep's key. */
async function workspaceWithKeys(id, name) {
  await api("POST", "/v1/workspaces", mend.adminToken, { id, name, apology: "We're sorry: we got this wrong." });
  const key = async (role, label) => (await api("POST", `/v1/workspaces/${id}/keys`, mend.adminToken, { role, label })).key;
  return { manager: await key("manager", "Maria, support lead"), rep: await key("rep", "Ana, support") };
}

/** A rep (or, with the manager's key, a manager) signed in to the console in a browser context of their own. */
async function signedIn(key = mend.repKey) {
  const console = new ConsolePage(await browser.newPage(), mend.url);
  await console.signIn(key);
  return console;
}

/** Runs axe-core on the console's page and fails on any WCAG 2.x A/AA violation. */
const assertAccessible = (console, what) => axe.assertAccessible(console.page, what);

test("the console is served with a strict CSP and runs under it", async () => {
  const response = await fetch(`${mend.url}/console/`);
  assert.equal(response.status, 200);
  const csp = response.headers.get("content-security-policy");
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);

  const page = await browser.newPage();
  const blocked = [];
  page.on("console", (message) => /Content.Security.Policy/i.test(message.text()) && blocked.push(message.text()));
  const console = new ConsolePage(page, mend.url);
  await console.signIn(mend.repKey);
  assert.deepEqual(blocked, []);
  await page.close();
});

test("sign in with a key, and sign out", async () => {
  const console = new ConsolePage(await browser.newPage(), mend.url);
  await console.goto();
  await console.byTestId("sign-in").waitFor();
  await assertAccessible(console, "the sign-in form");

  await console.byTestId("key").fill("mend_rk_not-a-key");
  await console.byTestId("sign-in-submit").click();
  await console.byTestId("sign-in-error").filter({ hasText: "Mend does not know this key" }).waitFor();

  await console.signIn(mend.repKey);
  assert.match(await console.text("signed-in-as"), /Rep/);
  assert.equal(await console.text("company"), "Acme Furniture");
  // The session cookie is what signs the browser in: the queue answers it.
  assert.equal((await console.page.request.get(`${mend.url}/v1/queue`)).status(), 200);

  // A reload asks Mend who is signed in (GET /v1/session) and stays signed in.
  await console.page.reload();
  await console.page.locator("#queue-title").waitFor();
  assert.match(await console.text("signed-in-as"), /Rep/);
  assert.equal(await console.byTestId("sign-in").count(), 0);

  await console.signOut();
  assert.equal((await console.page.request.get(`${mend.url}/v1/queue`)).status(), 401);
  await console.page.reload();
  await console.byTestId("sign-in").waitFor();
  await console.page.close();
});

test("the queue puts a missed promise above a new report, counts it down, and shows new reports live", async () => {
  const late = await report({ what_happened: "The wardrobe door came off its hinge." });
  await command(mend, late, { type: "update", text: "A new hinge ships today.", next_update_by: new Date(Date.now() + 3000).toISOString() });
  // The ticket's object records the miss when its alarm fires after the promised time.
  await until(async () => (await view(late)).promise?.missed, { attempts: 150, every: 200, what: "the promise to be recorded as missed" });

  const console = await signedIn();
  await console.queueItem(late).waitFor();
  const fresh = await report({ what_happened: "The lamp shade arrived dented." });
  // Without a reload.
  await console.queueItem(fresh).waitFor();
  await console.byTestId("queue-announcement").filter({ hasText: "New in the queue: The lamp shade arrived dented." }).waitFor();

  const order = await console.queueOrder();
  assert.ok(order.indexOf(late) < order.indexOf(fresh), `missed promise first: ${order.join(", ")}`);
  assert.equal(await console.queueItem(late).getAttribute("data-risk"), "at-risk");
  assert.equal(await console.queueItem(fresh).getAttribute("data-risk"), "unanswered");
  const timing = console.queueItem(late).getByTestId("timing");
  const before = (await timing.textContent()).trim();
  assert.match(before, /^missed, .+ ago$/);
  await until(async () => (await timing.textContent()).trim() !== before, { what: "the countdown to move" });
  assert.match(await console.queueItem(fresh).getByTestId("timing").textContent(), /^first answer due in /);

  await console.byTestId("filter-escalated").click();
  await console.byTestId("queue-empty").or(console.byTestId("queue")).waitFor();
  assert.equal(await console.queueItem(late).count(), 0, "not escalated, so not listed");
  await assertAccessible(console, "the queue");
  await console.page.close();
});

test("an update with a promise from the console reaches the customer's widget", async () => {
  const widget = new WidgetPage(await browser.newPage());
  await widget.goto(mend.hostUrl);
  await widget.open();
  const ticket = await widget.report({ whatHappened: "The sofa leg snapped.", impact: "We can't sit on it." });

  const console = await signedIn();
  await console.openTicket(ticket);
  assert.equal(await console.text("words-what-happened"), "The sofa leg snapped.");
  assert.equal(await console.text("words-impact"), "We can't sit on it.");
  await assertAccessible(console, "a ticket");

  await console.byTestId("update-text").fill("We're sorry. A new leg ships tomorrow morning.");
  await console.byTestId("pick-4h").click();
  assert.match(await console.text("promise-chosen"), /^Promising an update by .+, in 3 h 5\d min\.$/);
  await console.byTestId("send-update").click();
  await console.waitForEntry("A new leg ships tomorrow morning.");
  assert.match(await console.text("current-promise"), /^Next update promised by .+ — due in 3 h 5\d min$/);

  const due = Date.parse((await view(ticket)).next_update_by);
  assert.ok(Math.abs(due - (Date.now() + 4 * 3600_000)) < 3 * 60_000, "promised about four hours ahead");
  await widget.waitForEntry("A new leg ships tomorrow morning.");
  assert.match(await widget.text("promise"), /^Next update by /);
  await widget.page.close();
  await console.page.close();
});

test("the rep who answers owns the ticket, hands it to a colleague with a note, and the customer is told who looks after them", async () => {
  const keys = await workspaceWithKeys("handco", "Hand & Co");
  await api("PATCH", "/v1/workspaces/handco", keys.manager, { rep_names: true });
  const ticket = await reportTo("handco", { what_happened: "The armchair never came." });
  const rep = await signedIn(keys.rep);
  await rep.openTicket(ticket.id);
  assert.equal(await rep.text("owner"), "No one looks after this ticket yet. Your first answer makes it yours.");
  assert.equal(await rep.byTestId("hand-over-form").count(), 0, "a rep hands over only what they own");
  await rep.byTestId("take").waitFor();
  await rep.byTestId("update-text").fill("We're sorry. It leaves the warehouse today.");
  await rep.byTestId("pick-4h").click();
  await rep.byTestId("send-update").click();
  await rep.byTestId("owner").filter({ hasText: "You look after this ticket." }).waitFor();
  assert.equal(await rep.byTestId("take").count(), 0, "no one takes a ticket someone looks after");
  // The composer offers what the core allows Ana now: her update's tab is still chosen, the handover one click away.
  assert.deepEqual(await rep.page.getByRole("tab").allInnerTexts(), ["Update", "Ask", "Propose a resolution", "Make-good", "Escalate", "Hand over"]);
  assert.equal(await rep.byTestId("act-update").getAttribute("aria-selected"), "true");
  // The tab pattern's keys: only the chosen tab is a Tab stop; arrows go
  // round the ends, Home and End to the first and last, the focus with them.
  const chosen = () => rep.page.evaluate(() => document.activeElement?.getAttribute("aria-selected") === "true" && document.activeElement.dataset.testid);
  assert.deepEqual(await rep.page.getByRole("tab").evaluateAll((tabs) => tabs.map((tab) => tab.tabIndex)), [0, -1, -1, -1, -1, -1]);
  await rep.byTestId("act-update").focus();
  for (const [key, act] of [["ArrowRight", "act-ask"], ["End", "act-hand-over"], ["ArrowRight", "act-update"], ["ArrowLeft", "act-hand-over"], ["Home", "act-update"]]) {
    await rep.page.keyboard.press(key);
    assert.equal(await chosen(), act, `${key} chooses ${act} and moves the focus there`);
  }
  await rep.compose("hand-over");
  await assertAccessible(rep, "a ticket with its owner and the handover form");

  // The handover: refused without a note, then given to the manager.
  await rep.byTestId("hand-over-to").selectOption({ label: "Maria, support lead" });
  await rep.byTestId("send-hand-over").click();
  await rep.byTestId("hand-over-note-error").filter({ hasText: "The note for your colleague is required." }).waitFor();
  // The refusal and the hint are both tied to the field for a screen reader.
  assert.equal(await rep.byTestId("hand-over-note").getAttribute("aria-describedby"), "hand-over-note-hint hand-over-note-error");
  assert.equal(await rep.byTestId("hand-over-note").getAttribute("aria-invalid"), "true");
  await assertAccessible(rep, "the handover form with its refusal");
  await rep.byTestId("hand-over-note").fill("She prefers email; the courier is booked for Friday.");
  await rep.byTestId("send-hand-over").click();
  await rep.byTestId("owner").filter({ hasText: "Maria, support lead looks after this ticket." }).waitFor();
  await rep.waitForEntry("Handed over to Maria, support lead: She prefers email; the courier is booked for Friday.");
  assert.equal(await rep.text("handovers"), "Handed over 1 times.");
  assert.equal(await rep.byTestId("hand-over-form").count(), 0, "it is no longer Ana's to hand over");

  // The manager's queue: hers, by filter and by owner; the rep's Mine is empty.
  const manager = await signedIn(keys.manager);
  await manager.byTestId("filter-mine").click();
  await manager.queueItem(ticket.id).waitFor();
  assert.equal(await manager.queueItem(ticket.id).getByTestId("owner").innerText(), "yours");
  await rep.byTestId("nav-queue").click();
  await rep.byTestId("owner-filter").selectOption({ label: "Maria, support lead" });
  await rep.queueItem(ticket.id).waitFor();
  assert.equal(await rep.queueItem(ticket.id).getByTestId("owner").innerText(), "looked after by Maria, support lead");
  await rep.byTestId("filter-unowned").click();
  await rep.byTestId("queue-empty").waitFor();

  // The customer, on their private link, reads who looks after them, never the note.
  const widget = await browser.newPage();
  await widget.goto(`${mend.url}/w/handco#ticket=${ticket.id}&token=${ticket.token}`);
  await widget.getByTestId("owner").filter({ hasText: "Maria is looking after your report." }).waitFor();
  await widget.getByTestId("event").filter({ hasText: "Maria has taken over from Ana." }).waitFor();
  assert.ok(!(await widget.locator("body").innerText()).includes("courier is booked"), "the note is the company's");
  await widget.close();
  await manager.page.close();
  await rep.page.close();
});

test("an update without a promise is refused with the promise named", async () => {
  const ticket = await report({ what_happened: "The rug is the wrong colour." });
  const console = await signedIn();
  await console.openTicket(ticket);
  await console.byTestId("update-text").fill("We're looking into it.");
  await console.byTestId("send-update").click();
  await console.byTestId("promise-error").filter({ hasText: "The next-update promise is required." }).waitFor();
  assert.equal((await view(ticket)).events.length, 1, "nothing was sent");
  await console.page.close();
});

test("a colleague's update and escalation appear on an open ticket without a reload, and a half-written draft survives them", async () => {
  const ticket = await report({ what_happened: "Two chairs arrived scratched." });
  const console = await signedIn();
  await console.openTicket(ticket);
  await console.live();
  await console.compose("ask");
  await console.byTestId("question").fill("Could you send us a photo of the scratches?");
  await command(mend, ticket, { type: "update", text: "New chairs are being packed.", next_update_by: inMinutes(90) });
  await console.byTestId("timeline").getByTestId("event").filter({ hasText: "New chairs are being packed." }).waitFor();
  assert.equal(await console.byTestId("question").inputValue(), "Could you send us a photo of the scratches?");
  // The escalation takes its tab and form away (the core no longer allows it), and only those.
  await command(mend, ticket, { type: "escalate", reason: "other_department_must_act" });
  await console.byTestId("escalated").waitFor();
  assert.equal(await console.byTestId("escalate-form").count(), 0);
  assert.equal(await console.byTestId("act-escalate").count(), 0);
  assert.equal(await console.byTestId("act-ask").getAttribute("aria-selected"), "true", "the rep's choice stays");
  assert.equal(await console.byTestId("question").inputValue(), "Could you send us a photo of the scratches?");
  await console.page.close();
});

test("a blame-shifting draft shows the reviewer's findings before sending, and can still be sent", async () => {
  const ticket = await report({ what_happened: "We got the wrong shelf." });
  const console = await signedIn();
  await console.openTicket(ticket);
  await console.byTestId("update-text").fill("Sorry, our warehouse sent the wrong part. Mistakes happen.");
  const review = console.byTestId("update-review");
  await review.getByTestId("finding").first().waitFor();
  const marked = await review.getByTestId("finding-mark").allTextContents();
  assert.ok(marked.some((phrase) => /our warehouse sent/i.test(phrase)), marked.join(" | "));
  assert.ok(marked.includes("Mistakes happen"), marked.join(" | "));
  assert.match(await review.getByTestId("finding").first().textContent(), /Blames others: Speak as the company/);
  assert.equal((await view(ticket)).events.length, 1, "the review sends nothing");
  await assertAccessible(console, "a draft with findings");

  await console.byTestId("pick-1h").click();
  await console.byTestId("send-update").click();
  await console.waitForEntry("our warehouse sent the wrong part");
  assert.equal((await view(ticket)).events.length, 2);
  await console.page.close();
});

test("proposing a resolution without a prevention note is refused with the field named; no one but the customer closes it", async () => {
  const ticket = await report({ what_happened: "The chair wobbles." });
  const console = await signedIn();
  await console.openTicket(ticket);
  await console.compose("propose");
  await console.byTestId("summary").fill("We sent a new set of legs.");
  await console.byTestId("send-proposal").click();
  await console.byTestId("prevention-error").filter({ hasText: "The prevention note is required." }).waitFor();
  assert.equal(await console.byTestId("summary-error").textContent(), "");
  assert.equal((await view(ticket)).status, "reported", "nothing changed");

  await console.byTestId("prevention").fill("Every chair is now tested on a flat floor before packing.");
  await console.byTestId("send-proposal").click();
  await console.byTestId("awaiting-confirmation").filter({ hasText: "Waiting for the customer to confirm" }).waitFor();
  assert.equal((await view(ticket)).status, "resolution_proposed");
  assert.equal(await console.page.getByRole("button", { name: /solved|close/i }).count(), 0, "no close or solved button");
  await console.page.close();
});

test("asking the customer pauses the promise and puts the ticket with them", async () => {
  const ticket = await report({ what_happened: "The sofa is the wrong shade of green." });
  await command(mend, ticket, { type: "update", text: "We're checking the order.", next_update_by: inMinutes(120) });
  const console = await signedIn();
  await console.openTicket(ticket);
  assert.match(await console.text("current-promise"), /due in 1 h 5\d min$/);
  await console.compose("ask");
  await console.byTestId("question").fill("Which shade did you order, sage or olive?");
  await console.byTestId("send-question").click();
  await console.waitForEntry("Asked: Which shade did you order, sage or olive?");
  assert.match(await console.text("current-promise"), /^Promise paused while the customer answers your question: 1 h 5\d min left once they reply\.$/);
  assert.equal((await view(ticket)).status, "waiting_on_customer");

  await console.byTestId("nav-queue").click();
  await console.byTestId("filter-waiting").click();
  await console.queueItem(ticket).waitFor();
  await console.byTestId("filter-mine").click();
  await console.queueItem(ticket).waitFor();
  await console.page.close();
});

test("escalate to a manager with a reason", async () => {
  const ticket = await report({ what_happened: "The invoice charges us twice." });
  const console = await signedIn();
  await console.openTicket(ticket);
  await console.compose("escalate");
  await console.byTestId("send-escalation").click();
  await console.byTestId("escalate-error").filter({ hasText: "The reason to escalate is required." }).waitFor();

  await console.byTestId("reason-other_department_must_act").check();
  await console.byTestId("send-escalation").click();
  await console.byTestId("escalated").filter({ hasText: "another part of the company must act" }).waitFor();
  await console.waitForEntry("Escalated to a manager");
  assert.equal((await view(ticket)).escalation.reason, "other_department_must_act");

  await console.byTestId("nav-queue").click();
  await console.byTestId("filter-escalated").click();
  await console.queueItem(ticket).waitFor();
  await console.page.close();
});

test("a make-good out of proportion to the harm shows its warning; the range comes from the reported harm", async () => {
  // 100 hours lost at the standard policy's $25 an hour: $2,500 of harm, so $250 to $1,250.
  const ticket = await report({ what_happened: "Our shop was closed for the week.", cost: { hours_lost: 100 } });
  const console = await signedIn(mend.managerKey);
  await console.openTicket(ticket);
  await console.compose("make-good");
  await console.byTestId("make-good-suggestion").filter({ hasText: "Suggested: $250 to $1,250." }).waitFor();

  await console.byTestId("make-good-value").fill("5");
  const assessment = console.byTestId("make-good-assessment");
  await assessment.filter({ hasText: "Out of proportion:" }).waitFor();
  assert.equal(await assessment.getAttribute("data-verdict"), "too_low");
  assert.match(await assessment.textContent(), /\$5 against .* is too little: suggest \$250 to \$1,250/);
  await assertAccessible(console, "a make-good with its warning");

  await console.byTestId("make-good-value").fill("300");
  await assessment.and(console.page.locator('[data-verdict="within_range"]')).waitFor();
  await console.byTestId("send-make-good").click();
  await console.waitForEntry("Offered a make-good: $300 credit.");
  assert.equal((await view(ticket)).make_goods[0].value.minor_units, 30000, "a manager may offer above the rep's limit");
  await console.page.close();
});

test("a rep sees the suggested range from the session's policy, and an offer within it is made", async () => {
  // 8 hours lost at the standard policy's $25 an hour: $200 of harm, so $20 to $100.
  const ticket = await report({ what_happened: "We waited in all day for the delivery.", cost: { hours_lost: 8 } });
  const console = await signedIn(mend.repKey);
  await console.openTicket(ticket);
  await console.compose("make-good");
  assert.match(await console.text("make-good-suggestion"), /^Suggested: \$20 to \$100\. /);
  await console.byTestId("make-good-value").fill("40");
  await console.byTestId("make-good-assessment").and(console.page.locator('[data-verdict="within_range"]')).waitFor();
  assert.equal(await console.byTestId("make-good-needs-manager").count(), 0, "within the rep's limit");
  await console.byTestId("send-make-good").click();
  await console.waitForEntry("Offered a make-good: $40 credit.");
  assert.equal((await view(ticket)).make_goods[0].value.minor_units, 4000);
  await console.page.close();
});

test("a rep's make-good above the limit is refused clearly, and nothing is offered", async () => {
  const ticket = await report({ what_happened: "The delivery came a week late.", cost: { hours_lost: 100 } });
  const console = await signedIn(mend.repKey);
  await console.openTicket(ticket);
  await console.compose("make-good");
  await console.byTestId("make-good-value").fill("300");
  await console.byTestId("make-good-needs-manager").filter({ hasText: "This is above your limit" }).waitFor();
  const answer = console.page.waitForResponse((r) => r.url().endsWith(`/v1/tickets/${ticket}/commands`));
  await console.byTestId("send-make-good").click();
  // The worker refuses the core's NeedsManager as 403 `needs_manager`; the console names it.
  const refused = await answer;
  assert.equal(refused.status(), 403);
  assert.deepEqual(await refused.json(), {
    error: { code: "needs_manager", message: "Make-goods above $250 need a manager: escalate, and a manager can make the offer." },
  });
  const error = console.byTestId("make-good-error");
  await error.filter({ hasText: "A manager must make this offer." }).waitFor();
  assert.equal(await error.textContent(), "A manager must make this offer. Make-goods above $250 need a manager: escalate, and a manager can make the offer.");
  assert.equal(await console.byTestId("make-good-value").getAttribute("aria-describedby"), "make-good-assessment make-good-error");
  assert.deepEqual((await view(ticket)).make_goods, []);
  await console.page.close();
});

test("with the live socket open, a new report and a customer's answer appear in the queue", async () => {
  const page = await browser.newPage();
  const heard = [];
  page.on("websocket", (socket) => {
    if (new URL(socket.url()).pathname === "/v1/queue/live") socket.on("framereceived", ({ payload }) => heard.push(JSON.parse(payload)));
  });
  const console = new ConsolePage(page, mend.url);
  await console.signIn(mend.repKey);
  await console.live();
  assert.equal(await console.text("connection"), "Live");

  const { id, token } = await reportTo("acme", { what_happened: "The coffee table's glass is cracked." });
  await console.queueItem(id).waitFor();
  assert.ok(heard.some((m) => m.type === "queue_changed" && m.ticket_id === id && m.seq === 1), JSON.stringify(heard));
  assert.equal(await console.queueItem(id).getAttribute("data-risk"), "unanswered");

  await command(mend, id, { type: "ask", question: "Is the frame damaged too?" });
  await page.locator(`[data-testid="queue-item"][data-ticket="${id}"][data-risk="with-customer"]`).waitFor();
  // The customer answers in their widget: the ticket is the company's again.
  await command(mend, id, { type: "message", text: "No, only the glass." }, token);
  await page.locator(`[data-testid="queue-item"][data-ticket="${id}"][data-risk="unanswered"]`).waitFor();
  assert.ok(heard.some((m) => m.ticket_id === id && m.seq === 3), JSON.stringify(heard));
  assert.equal(await console.byTestId("connection").getAttribute("data-state"), "live", "heard over the socket, not by polling");
  await assertAccessible(console, "the queue, live");
  await page.close();
});

test("where a proxy drops the queue's socket, new reports still appear, by refreshing", async () => {
  const page = await browser.newPage();
  // Every queue socket is dropped as soon as it opens, as some proxies do.
  await page.context().routeWebSocket(/\/v1\/queue\/live/, (socket) => socket.close());
  const console = new ConsolePage(page, mend.url);
  await console.signIn(mend.repKey);
  assert.equal(await console.byTestId("connection").getAttribute("data-state"), "reconnecting");
  assert.equal(await console.text("connection"), "Reconnecting…");

  const { id } = await reportTo("acme", { what_happened: "The sideboard's door hangs crooked." });
  // The console reads the queue again every 10 seconds while it has no socket.
  await console.queueItem(id).waitFor({ timeout: 30_000 });
  assert.equal(await console.byTestId("connection").getAttribute("data-state"), "reconnecting", "by refreshing, not over a socket");
  await page.close();
});

test("the workspace's own one-voice terms flag a draft, and what was sent stays flagged on the text it is in", async () => {
  const { manager, rep } = await workspaceWithKeys("termco", "Term & Co");
  const settings = await signedIn(manager);
  await settings.byTestId("nav-settings").click();
  await settings.byTestId("settings-form").waitFor();
  await settings.byTestId("term-text").fill("Speedy Couriers");
  await settings.byTestId("term-category").selectOption("blames_others");
  await settings.byTestId("term-add").click();
  await settings.byTestId("settings-save").click();
  await settings.byTestId("settings-saved").filter({ hasText: "Saved." }).waitFor();
  assert.deepEqual((await api("GET", "/v1/workspaces/termco", manager)).voice_terms, [{ category: "blames_others", term: "Speedy Couriers" }]);
  await settings.page.close();

  const { id } = await reportTo("termco", { what_happened: "The parcel never came." });
  const console = await signedIn(rep);
  await console.openTicket(id);
  // No built-in rule catches this sentence; only the workspace's term does.
  await console.byTestId("update-text").fill("Speedy Couriers left it at the depot. A new one ships today.");
  const review = console.byTestId("update-review");
  await review.getByTestId("finding").first().waitFor();
  assert.deepEqual(await review.getByTestId("finding-mark").allTextContents(), ["Speedy Couriers"]);
  assert.equal(await review.getByTestId("finding-mark").getAttribute("data-category"), "blames_others");
  await console.byTestId("pick-1h").click();
  await console.byTestId("send-update").click();
  await console.waitForEntry("Speedy Couriers left it at the depot.");

  await console.compose("propose");
  await console.byTestId("summary").fill("A new parcel was delivered by hand.");
  await console.byTestId("prevention").fill("We no longer send through Speedy Couriers.");
  await console.byTestId("send-proposal").click();
  await console.byTestId("awaiting-confirmation").waitFor();
  // Each finding is shown on the text it was found in: the update's text, the proposal's prevention note.
  const flagged = console.byTestId("timeline").getByTestId("flagged");
  await until(async () => (await flagged.count()) === 2, { what: "both sent texts to show their findings" });
  const shown = await flagged.evaluateAll((all) =>
    all.map((f) => [f.closest("[data-seq]").dataset.seq, f.dataset.field, f.textContent, [...f.querySelectorAll("mark")].map((m) => m.textContent)]),
  );
  assert.deepEqual(shown, [
    ["2", "text", "Flagged by the one-voice reviewer when sent, in the text: Speedy Couriers left it at the depot. A new one ships today.", ["Speedy Couriers"]],
    ["3", "prevention", "Flagged by the one-voice reviewer when sent, in the prevention note: We no longer send through Speedy Couriers.", ["Speedy Couriers"]],
  ]);
  await assertAccessible(console, "a timeline with kept findings");
  await console.page.close();
});

test("each page has an address: back and forward move between them, and a link opens a ticket", async () => {
  const ticket = await report({ what_happened: "The bed frame is missing a slat." });
  const console = await signedIn();
  await console.openTicket(ticket);
  assert.equal(new URL(console.page.url()).hash, `#/tickets/${ticket}`);
  await console.page.goBack();
  await console.page.locator("#queue-title").waitFor();
  await console.page.goForward();
  await console.byTestId("words-what-happened").filter({ hasText: "The bed frame is missing a slat." }).waitFor();

  // A colleague's link, opened in a browser not signed in: the console lands on the ticket once they sign in.
  const other = new ConsolePage(await browser.newPage(), mend.url);
  await other.page.goto(`${mend.url}/console/#/tickets/${ticket}`);
  await other.byTestId("key").fill(mend.repKey);
  await other.byTestId("sign-in-submit").click();
  await other.byTestId("words-what-happened").filter({ hasText: "The bed frame is missing a slat." }).waitFor();
  await other.page.close();
  await console.page.close();
});

test("a rep finds a ticket by the reference its customer reads out, however it is typed", async () => {
  const ticket = await report({ what_happened: "The wardrobe door is cracked." });
  const { reference } = await view(ticket);
  assert.match(reference, /^ACM-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/);
  const console = await signedIn();
  // The queue shows it beside the ticket.
  assert.equal((await console.queueItem(ticket).getByTestId("queue-reference").textContent()).trim(), reference);
  // Read over the phone: lower case, spaces for dashes, no prefix.
  await console.byTestId("find-reference").fill(reference.slice(4).toLowerCase().replace("-", " "));
  await console.byTestId("find-button").click();
  await console.byTestId("words-what-happened").filter({ hasText: "The wardrobe door is cracked." }).waitFor();
  assert.equal(new URL(console.page.url()).hash, `#/tickets/${ticket}`);
  assert.equal(await console.text("ticket-title"), `Ticket ${reference}`);

  await console.byTestId("back-to-queue").click();
  await console.byTestId("find-reference").fill("ACM-222-222");
  await console.byTestId("find-button").click();
  await console.byTestId("find-error").filter({ hasText: "No ticket of this workspace has the reference ACM-222-222." }).waitFor();
  await console.page.close();
});

test("a rep files a proactive report: refused without a customer to reach, then the ticket opens, told in the company's words", async () => {
  const console = await signedIn();
  await console.byTestId("new-proactive").click();
  await console.byTestId("proactive-form").waitFor();
  assert.equal(new URL(console.page.url()).hash, "#/proactive");
  await assertAccessible(console, "the proactive report form");
  await console.byTestId("proactive-order").fill("2077");
  await console.byTestId("proactive-what").fill("Your lamp shipped with the wrong shade.");
  await console.byTestId("proactive-apology").fill("We're sorry: we packed the wrong shade.");
  await console.byTestId("send-proactive").click();
  await console
    .byTestId("proactive-email-error")
    .filter({ hasText: "The customer must be someone Mend can reach: give their contact_email, their customer_subject" })
    .waitFor();

  await console.byTestId("proactive-email").fill("gil@example.com");
  await console.byTestId("proactive-update").fill("The right shade leaves today.");
  // Three hours from now, as the browser's own datetime-local field writes it.
  const inThreeHours = await console.page.evaluate(() => {
    const at = new Date(Date.now() + 3 * 3_600_000);
    const two = (n) => String(n).padStart(2, "0");
    return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
  });
  await console.byTestId("proactive-promise").fill(inThreeHours);
  await console.byTestId("send-proactive").click();
  await console.byTestId("words-what-happened").filter({ hasText: "Your lamp shipped with the wrong shade." }).waitFor();
  assert.equal(
    (await console.byTestId("customer-words").locator("h2").textContent()).trim(),
    "Found by the company before the customer told us, in its words",
  );
  await console.waitForEntry("The right shade leaves today.");
  const id = new URL(console.page.url()).hash.replace("#/tickets/", "");
  const ticket = await view(id);
  assert.deepEqual(ticket.events.map((e) => [e.by, e.type]), [["rep", "reported"], ["rep", "updated"]]);
  assert.equal(ticket.report.contact_email, "gil@example.com");
  assert.equal(ticket.report.order_id, "2077");
  await console.page.close();
});

test("a rep works a ticket by keyboard alone", async () => {
  const ticket = await report({ what_happened: "The cupboard handle fell off." });
  const console = new ConsolePage(await browser.newPage(), mend.url);
  const page = console.page;
  const focused = () => page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName);
  /** Presses Tab until `check` holds for the focused element, at most `limit` times. */
  async function tabTo(check, limit = 80) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(check)) return;
    }
    throw new Error(`never reached by Tab; focus is on ${await focused()}`);
  }

  await console.goto();
  await console.byTestId("sign-in").waitFor();
  assert.equal(await focused(), "key", "the key field has focus");
  await page.keyboard.type(mend.repKey);
  await page.keyboard.press("Enter");
  await console.page.locator("#queue-title").waitFor();
  await console.queueItem(ticket).waitFor();
  assert.equal(await focused(), "H1", "the queue's heading has focus");

  await tabTo(`document.activeElement.closest('[data-ticket="${ticket}"]') !== null`);
  await page.keyboard.press("Enter");
  await console.byTestId("words-what-happened").waitFor();
  assert.equal(await focused(), "ticket-title", "the ticket's heading has focus");

  await tabTo(() => document.activeElement?.dataset.testid === "update-text");
  await page.keyboard.type("We're sorry. A new handle is in the post today.");
  await tabTo(() => document.activeElement?.dataset.testid === "pick-1h");
  await page.keyboard.press("Enter");
  await tabTo(() => document.activeElement?.dataset.testid === "send-update");
  await page.keyboard.press("Enter");
  await console.waitForEntry("A new handle is in the post today.");
  assert.equal((await view(ticket)).status, "acknowledged");
  await page.close();
});

test("a rep key cannot reach the settings", async () => {
  const console = await signedIn(mend.repKey);
  assert.equal(await console.byTestId("nav-settings").count(), 0, "no settings for a rep");
  const patched = await console.page.request.patch(`${mend.url}/v1/workspaces/acme`, { data: { name: "Not Acme" } });
  assert.equal(patched.status(), 403);
  assert.equal((await api("GET", "/v1/workspaces/acme", mend.managerKey)).name, "Acme Furniture");
  await console.page.close();
});

test("a manager changes the settings, makes a rep key and rotates the identity secret", async () => {
  const console = await signedIn(mend.managerKey);
  await console.byTestId("nav-settings").click();
  await console.byTestId("settings-form").waitFor();
  await assertAccessible(console, "the settings");

  await console.byTestId("settings-colour").fill("red");
  await console.byTestId("settings-save").click();
  await console.byTestId("settings-colour-error").filter({ hasText: /colour/i }).waitFor();

  await console.byTestId("settings-colour").fill("#0b5394");
  // Opening hours as a person types them; a shape the core can't read is
  // refused beside the hours, before anything is sent.
  await console.byTestId("hours-mon").fill("9 to 5");
  await console.byTestId("settings-save").click();
  await console.byTestId("hours-error").filter({ hasText: /09:00–17:00/ }).waitFor();
  await console.byTestId("hours-mon").fill("08:30-12:00, 13:00 – 17:00");
  await console.byTestId("hours-sat").fill("10:00–14:00");
  await console.byTestId("hours-time-zone").fill("Europe/Berlin");
  await console.byTestId("hours-closed").fill("2026-12-24\n2026-12-25");
  await console.byTestId("hours-target").fill("90");
  await console.byTestId("policy-cap").fill("300");
  await console.byTestId("settings-save").click();
  await console.byTestId("settings-saved").filter({ hasText: "Saved." }).waitFor();
  const saved = await api("GET", "/v1/workspaces/acme", mend.managerKey);
  assert.equal(saved.colour, "#0b5394");
  assert.equal(saved.make_good_policy.rep_cap.minor_units, 30000);
  assert.deepEqual(saved.opening_hours.week.monday, [{ opens: "08:30", closes: "12:00" }, { opens: "13:00", closes: "17:00" }]);
  assert.deepEqual(saved.opening_hours.week.saturday, [{ opens: "10:00", closes: "14:00" }]);
  assert.deepEqual([saved.opening_hours.time_zone, saved.opening_hours.closed_dates, saved.opening_hours.first_answer_minutes], ["Europe/Berlin", ["2026-12-24", "2026-12-25"], 90]);
  assert.equal(await console.byTestId("hours-mon").inputValue(), "08:30–12:00, 13:00–17:00", "shown as Mend holds it");

  // Mend's own refusal is shown beside the hours too.
  await console.byTestId("hours-time-zone").fill("Europe/Atlantis");
  await console.byTestId("settings-save").click();
  await console.byTestId("hours-error").filter({ hasText: /time zone/i }).waitFor();
  await console.byTestId("hours-time-zone").fill("Europe/Berlin");

  await console.byTestId("new-key-label").fill("Bea (support)");
  await console.byTestId("create-key").click();
  const key = await console.byTestId("new-key").inputValue();
  assert.match(key, /^mend_rk_/);
  const session = await fetch(`${mend.url}/v1/session`, { method: "POST", headers: { Authorization: `Bearer ${key}` } });
  assert.equal(session.status, 200, "the new key signs in");
  await console.byTestId("keys").getByTestId("key-row").filter({ hasText: "Bea (support)" }).waitFor();

  const before = (await api("GET", "/v1/workspaces/acme", mend.managerKey)).identity_keys.length;
  await console.byTestId("create-identity-key").click();
  assert.match(await console.byTestId("new-identity-secret").inputValue(), /^mend_is_/);
  await until(async () => (await console.byTestId("identity-key").count()) === before + 1, { what: "the new secret to be listed" });
  await console.page.close();
});

test("a manager registers a webhook endpoint, sends a test event, reads its deliveries, and sees why Mend disabled it", async () => {
  let gone = false;
  const receiver = await startReceiver({ answer: () => (gone ? { status: 410 } : { status: 200 }) });
  const console = await signedIn(mend.managerKey);
  try {
    await console.byTestId("nav-settings").click();
    await console.byTestId("webhooks").waitFor();

    await console.byTestId("new-endpoint-url").fill("http://10.0.0.1/hook");
    await console.byTestId("create-endpoint").click();
    await console.byTestId("endpoint-error").filter({ hasText: /https|public host/ }).waitFor();

    await console.byTestId("new-endpoint-url").fill(`${receiver.url}/hook`);
    await console.byTestId("new-endpoint-description").fill("Our CRM");
    await console.byTestId("create-endpoint").click();
    const secret = await console.byTestId("webhook-secret").inputValue();
    assert.match(secret, /^whsec_/);
    receiver.know("console", secret);
    const row = console.byTestId("endpoint").filter({ hasText: receiver.url });
    assert.match(await row.textContent(), /All event types/);

    await row.getByTestId("endpoint-test").click();
    const test = await until(() => receiver.received.find((d) => d.body?.type === "webhook.test"), { what: "the test event" });
    assert.deepEqual(test.verifiedBy, ["console"]);
    await row.getByTestId("deliveries").waitFor();
    await until(async () => {
      await row.getByTestId("deliveries-refresh").click();
      return (await row.locator('[data-testid="delivery"][data-status="delivered"]').count()) > 0;
    }, { what: "the test delivery to show as delivered" });
    const delivered = row.locator('[data-testid="delivery"][data-status="delivered"]').first();
    assert.equal(await delivered.getByTestId("attempt-status").first().textContent(), "200");
    await assertAccessible(console, "the webhook settings");

    gone = true;
    await reportTo("acme", { what_happened: "The lamp arrived broken." });
    await until(async () => {
      const { endpoints } = await api("GET", "/v1/workspaces/acme/webhooks", mend.managerKey);
      return endpoints.some((e) => e.url.startsWith(receiver.url) && !e.enabled);
    }, { what: "the endpoint to be disabled after 410" });
    await console.page.reload();
    await console.byTestId("webhooks").waitFor();
    const disabled = console.byTestId("endpoint").filter({ hasText: receiver.url });
    await disabled.getByTestId("endpoint-disabled-reason").filter({ hasText: "410 Gone" }).waitFor();
    assert.equal(await disabled.getByTestId("endpoint-state").textContent(), "Disabled: it is sent nothing.");
    await disabled.getByTestId("endpoint-delete").click();
    await until(async () => (await console.byTestId("endpoint").filter({ hasText: receiver.url }).count()) === 0, { what: "the endpoint deleted" });
  } finally {
    await console.page.close();
    await receiver.stop();
  }
});

test("on any day, the recovery record opens on the last twelve full weeks and shows the scorecard", async () => {
  // The browser's clock fixed on days where a month or a year turns; the
  // core's table (record.rs) covers the rest of the calendar.
  for (const [now, from, to] of [
    ["2027-01-01T09:00:00Z", "2026-10-05", "2026-12-27"],
    ["2026-03-15T09:00:00Z", "2025-12-15", "2026-03-08"],
    ["2026-03-31T09:00:00Z", "2026-01-05", "2026-03-29"],
  ]) {
    const console = new ConsolePage(await browser.newPage(), mend.url);
    await console.page.clock.setFixedTime(new Date(now));
    await console.signIn(mend.repKey);
    await console.byTestId("nav-record").click();
    assert.equal(await console.byTestId("scorecard").getAttribute("src"), `/r/acme?from=${from}&to=${to}`, now);
    const frame = console.page.frameLocator('[data-testid="scorecard"]');
    await frame.locator(".period").waitFor();
    assert.match(await frame.locator(".period").textContent(), new RegExp(`from ${longDay(from)} to ${longDay(to)}$`), now);
    await console.page.close();
  }
});

test("a period the record cannot cover is refused in the form, in the core's words", async () => {
  const console = await signedIn(mend.repKey);
  await console.byTestId("nav-record").click();
  const scorecard = console.byTestId("scorecard");
  const before = await scorecard.getAttribute("src");
  await console.byTestId("record-from").fill("2026-06-30");
  await console.byTestId("record-to").fill("2026-01-01");
  await console.byTestId("record-show").click();
  await until(async () => (await console.page.locator("#period-error").textContent()) === "The period's last day (to) must be the same day as from or later.", { what: "the refusal" });
  assert.equal(await scorecard.getAttribute("src"), before, "the scorecard keeps the period it showed");
  await console.page.close();
});

test("the recovery record embeds the workspace's scorecard for the chosen period", async () => {
  const console = await signedIn(mend.repKey);
  await console.byTestId("nav-record").click();
  const scorecard = console.byTestId("scorecard");
  await console.byTestId("record-from").fill("2026-01-01");
  await console.byTestId("record-to").fill("2026-06-30");
  await console.byTestId("record-show").click();
  await until(async () => (await scorecard.getAttribute("src")) === "/r/acme?from=2026-01-01&to=2026-06-30", { what: "the period to apply" });
  assert.match(await scorecard.getAttribute("title"), /^Recovery record of .+, 2026-01-01 to 2026-06-30$/);
  assert.equal(await console.byTestId("record-public-link").getAttribute("href"), "/r/acme");
  await assertAccessible(console, "the recovery record");
  await console.page.close();
});

/** Milliseconds between two RFC 3339 times. */
const between = (from, to) => Date.parse(to) - Date.parse(from);
/** The median as the core defines it: the mean of the two middle ones, rounded down. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.floor((sorted[middle - 1] + sorted[middle]) / 2);
}
/** A time as the scorecard says it: "under a minute", "45 min", "3 h 20 min", "2 d 4 h". */
function duration(ms) {
  const all = Math.floor(Math.max(ms, 0) / 60_000);
  if (all === 0) return "under a minute";
  const [days, hours, minutes] = [Math.floor(all / 1440), Math.floor(all / 60) % 24, all % 60];
  if (days === 0) return hours === 0 ? `${minutes} min` : minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}
/** `2026-11-23` as the scorecard writes it: "23 November 2026". */
const longDay = (day) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

test("the recovery record shows the exact figures of a seeded set of tickets", async () => {
  const { manager, rep } = await workspaceWithKeys("recordco", "Record Lamps");
  const act = (key, id, body) => command(mend, id, body, key);
  const last = (answer) => answer.events.at(-1).at;

  // Solved fast: apologised in the first update, promise kept, $30 given against $150 lost, rated 5.
  const fast = await reportTo("recordco", { what_happened: "The lamp arrived broken.", cost: { money: { currency: "USD", minor_units: 15_000 } } });
  const fastApology = last(await act(rep, fast.id, { type: "update", text: "We're sorry we sent a broken lamp. A new one ships today.", next_update_by: inMinutes(120) }));
  await act(rep, fast.id, { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 3_000 } });
  await act(fast.token, fast.id, { type: "accept_make_good" });
  await act(rep, fast.id, { type: "propose_resolution", summary: "The new lamp was delivered.", prevention: "Lamps are now packed in foam." });
  const fastSolved = last(await act(fast.token, fast.id, { type: "confirm_solved" }));
  await act(fast.token, fast.id, { type: "rate", score: 5 });

  // Slow: no apology, a promise missed, escalated, reopened once, then solved and rated 3.
  const slow = await reportTo("recordco", { what_happened: "The lamp flickers." });
  await act(rep, slow.id, { type: "message", text: "Thank you, we are looking into it." });
  await act(rep, slow.id, { type: "update", text: "A new lamp is on order.", next_update_by: new Date(Date.now() + 1500).toISOString() });
  await until(async () => (await api("GET", `/v1/tickets/${slow.id}`, rep)).promise?.missed, { attempts: 200, every: 50, what: "the promise to be recorded missed" });
  await act(rep, slow.id, { type: "escalate", reason: "other_department_must_act" });
  await act(manager, slow.id, { type: "propose_resolution", summary: "The lamp was replaced.", prevention: "Every lamp is tested." });
  await act(slow.token, slow.id, { type: "not_yet", reason: "The new one flickers too." });
  await act(manager, slow.id, { type: "propose_resolution", summary: "An electrician fixed it.", prevention: "Every lamp is tested twice." });
  const slowSolved = last(await act(slow.token, slow.id, { type: "confirm_solved" }));
  await act(slow.token, slow.id, { type: "rate", score: 3 });

  // Withdrawn by the customer before anyone answered.
  const gaveUp = await reportTo("recordco", { what_happened: "The wrong bulb came." });
  await act(gaveUp.token, gaveUp.id, { type: "withdraw" });

  const days = [fast, slow, gaveUp].map((t) => t.reportedAt.slice(0, 10)).sort();
  const [from, to] = [days[0], days.at(-1)];
  const console = await signedIn(rep);
  await console.byTestId("nav-record").click();
  await console.byTestId("record-from").fill(from);
  await console.byTestId("record-to").fill(to);
  await console.byTestId("record-show").click();
  const scorecard = console.byTestId("scorecard");
  await until(async () => (await scorecard.getAttribute("src")) === `/r/recordco?from=${from}&to=${to}`, { what: "the period to apply" });

  // What the rep reads in the embedded scorecard, figure by figure.
  const frame = console.page.frameLocator('[data-testid="scorecard"]');
  await frame.locator(".period").filter({ hasText: `from ${longDay(from)}` }).waitFor();
  assert.equal(await frame.locator(".period").textContent(), `3 tickets reported from ${longDay(from)} to ${longDay(to)}`);
  assert.equal(await frame.locator(".draft strong").textContent(), "Not published.", "a preview for the workspace's own people");
  const figures = await frame.locator(".figures > li").evaluateAll((cards) =>
    cards.map((card) => [card.querySelector("h2").textContent, card.querySelector(".value").textContent, card.querySelector(".basis").textContent]),
  );
  assert.deepEqual(figures, [
    [
      "Median time to first apology",
      duration(between(fast.reportedAt, fastApology)),
      "from the customer's report to the first sincere apology, over the problems customers told us first",
    ],
    ["First answers on time", "100%", "2 of 2 first-answer promises settled, each made from the opening hours when the customer reported"],
    ["Promises kept", "50%", "1 of 2 next-update promises settled"],
    [
      "Median time to the customer's confirmation",
      duration(median([between(fast.reportedAt, fastSolved), between(slow.reportedAt, slowSolved)])),
      'from the report to the customer\'s "yes", over 2 solved tickets',
    ],
    ["Reopen rate", "50%", "1 of 2 proposed resolutions were not yet right"],
    ["Make-goods against reported harm", "$30", "given, against $150 of harm customers reported"],
    ["How customers feel afterwards", "4.0 of 5", "from 2 ratings"],
    ["Fixes that held", "—", "0 of 0 answered follow-ups: the fix held (—). 0 asked, 0 not answered."],
    ["Problems we found first", "0", "of 3 tickets, reported to the customer by the company before they told us"],
    ["Tickets escalated", "1", "of 3 tickets, brought to a manager"],
  ]);
  await console.page.close();
});

test("in the dark, every view keeps its contrast", async () => {
  const ticket = await report({ what_happened: "The mattress smells of smoke.", cost: { hours_lost: 4 } });
  const console = new ConsolePage(await browser.newPage(), mend.url);
  await console.page.emulateMedia({ colorScheme: "dark" });
  await console.goto();
  await console.byTestId("sign-in").waitFor();
  await assertAccessible(console, "the sign-in form, dark");
  await console.signIn(mend.managerKey);
  await console.queueItem(ticket).waitFor();
  await assertAccessible(console, "the queue, dark");
  await console.openTicket(ticket);
  await console.byTestId("update-text").fill("Sorry if you feel let down: our warehouse sent it late.");
  await console.byTestId("update-review").getByTestId("finding").first().waitFor();
  await assertAccessible(console, "a ticket with the reviewer's findings, dark");
  await console.compose("make-good");
  await console.byTestId("make-good-value").fill("1");
  await console.byTestId("make-good-assessment").filter({ hasText: "Out of proportion:" }).waitFor();
  await assertAccessible(console, "a make-good with its warning, dark");
  await console.compose("propose");
  await console.byTestId("send-proposal").click();
  await console.byTestId("summary-error").filter({ hasText: "required" }).waitFor();
  await assertAccessible(console, "a proposal with its error, dark");
  await console.byTestId("nav-settings").click();
  await console.byTestId("settings-form").waitFor();
  await assertAccessible(console, "the settings, dark");
  await console.byTestId("nav-record").click();
  await console.byTestId("scorecard").waitFor();
  await assertAccessible(console, "the recovery record, dark");
  await console.page.close();
});
