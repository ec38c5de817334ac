// One spec per rep action in the console (/console/), in real headless
// Chromium against the real worker in `wrangler dev`: sign in and out, the
// queue most at risk first and live, an update with its promise reaching the
// customer's widget, the one-voice reviewer before sending, a proposal
// refused without its prevention note, escalation, make-goods in proportion
// and the rep's limit, settings for managers only, the recovery record, page
// addresses, a rep's turn by keyboard alone, and an axe-core scan of every
// view, light and dark.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { command, inMinutes, startMend, until } from "./support/mend.mjs";
import { WidgetPage, hostPage, launchBrowser } from "./support/widget-page.mjs";
import { ConsolePage } from "./support/console-page.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let mend;
let browser;
before(async () => {
  mend = await startMend({ hostPage });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mend?.stop();
});

async function api(method, path, key, body) {
  const response = await fetch(`${mend.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body && JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? null : response.json();
}
const view = (ticket) => api("GET", `/v1/tickets/${ticket}`, mend.repKey);

/** A customer's report, as the widget would send it; returns the ticket's id. */
async function report(fields) {
  const created = await fetch(`${mend.url}/v1/reports`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ workspace: "acme", ...fields }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  return (await created.json()).ticket.id;
}

/** A rep (or, with the manager's key, a manager) signed in to the console in a browser context of their own. */
async function signedIn(key = mend.repKey) {
  const console = new ConsolePage(await browser.newPage(), mend.url);
  await console.signIn(key);
  return console;
}

/** Runs axe-core on the console's page and fails on any WCAG 2.x A/AA violation. */
async function assertAccessible(console, what) {
  await console.page.evaluate(axeSource);
  const result = await console.page.evaluate(() =>
    globalThis.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }),
  );
  const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(violations, [], `${what}: ${violations.join("\n")}`);
}

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
  // The session cookie is what signs the browser in: the queue answers it.
  assert.equal((await console.page.request.get(`${mend.url}/v1/queue`)).status(), 200);

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
  // Without a reload: over the queue's live socket, or its 10-second fallback.
  await console.queueItem(fresh).waitFor({ timeout: 30_000 });
  await console.byTestId("queue-announcement").filter({ hasText: "New in the queue: The lamp shade arrived dented." }).waitFor();

  const order = await console.queueOrder();
  assert.ok(order.indexOf(late) < order.indexOf(fresh), `missed promise first: ${order.join(", ")}`);
  assert.equal(await console.queueItem(late).getAttribute("data-risk"), "at-risk");
  assert.equal(await console.queueItem(fresh).getAttribute("data-risk"), "unanswered");
  const timing = console.queueItem(late).getByTestId("timing");
  const before = (await timing.textContent()).trim();
  assert.match(before, /^missed, .+ ago$/);
  await until(async () => (await timing.textContent()).trim() !== before, { what: "the countdown to move" });
  assert.match(await console.queueItem(fresh).getByTestId("timing").textContent(), /^waiting /);

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

test("a colleague's update appears on an open ticket without a reload, and a half-written draft survives it", async () => {
  const ticket = await report({ what_happened: "Two chairs arrived scratched." });
  const console = await signedIn();
  await console.openTicket(ticket);
  await console.byTestId("question").fill("Could you send us a photo of the scratches?");
  await command(mend, ticket, { type: "update", text: "New chairs are being packed.", next_update_by: inMinutes(90) });
  // Over the queue's live socket, or its 10-second fallback.
  await console.byTestId("timeline").getByTestId("event").filter({ hasText: "New chairs are being packed." }).waitFor({ timeout: 30_000 });
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
  await console.byTestId("send-escalation").click();
  await console.byTestId("escalate-error").filter({ hasText: "The reason to escalate is required." }).waitFor();

  await console.byTestId("reason-other-department").check();
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

test("a rep's make-good above the limit is refused clearly, and nothing is offered", async () => {
  const ticket = await report({ what_happened: "The delivery came a week late.", cost: { hours_lost: 100 } });
  const console = await signedIn(mend.repKey);
  await console.openTicket(ticket);
  await console.byTestId("make-good-value").fill("300");
  await console.byTestId("send-make-good").click();
  const error = console.byTestId("make-good-error");
  await error.filter({ hasText: "A manager must make this offer." }).waitFor();
  assert.match(await error.textContent(), /Make-goods above \$250 need a manager/);
  assert.deepEqual((await view(ticket)).make_goods, []);
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
  assert.equal(await focused(), "H1", "the ticket's heading has focus");

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
  await console.byTestId("policy-cap").fill("300");
  await console.byTestId("settings-save").click();
  await console.byTestId("settings-saved").filter({ hasText: "Saved." }).waitFor();
  const saved = await api("GET", "/v1/workspaces/acme", mend.managerKey);
  assert.equal(saved.colour, "#0b5394");
  assert.equal(saved.make_good_policy.rep_cap.minor_units, 30000);

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

test("the recovery record embeds the workspace's scorecard for the chosen period", async () => {
  const console = await signedIn(mend.repKey);
  await console.byTestId("nav-record").click();
  const scorecard = console.byTestId("scorecard");
  assert.match(await scorecard.getAttribute("src"), /^\/r\/acme\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$/);
  await console.byTestId("record-from").fill("2026-01-01");
  await console.byTestId("record-to").fill("2026-06-30");
  await console.byTestId("record-show").click();
  await until(async () => (await scorecard.getAttribute("src")) === "/r/acme?from=2026-01-01&to=2026-06-30", { what: "the period to apply" });
  assert.match(await scorecard.getAttribute("title"), /^Recovery record of .+, 2026-01-01 to 2026-06-30$/);
  assert.equal(await console.byTestId("record-public-link").getAttribute("href"), "/r/acme");
  await assertAccessible(console, "the recovery record");
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
  await console.byTestId("make-good-value").fill("1");
  await console.byTestId("send-proposal").click();
  await console.byTestId("summary-error").filter({ hasText: "required" }).waitFor();
  await console.byTestId("make-good-assessment").filter({ hasText: "Out of proportion:" }).waitFor();
  await assertAccessible(console, "a ticket with findings, a warning and an error, dark");
  await console.byTestId("nav-settings").click();
  await console.byTestId("settings-form").waitFor();
  await assertAccessible(console, "the settings, dark");
  await console.byTestId("nav-record").click();
  await console.byTestId("scorecard").waitFor();
  await assertAccessible(console, "the recovery record, dark");
  await console.page.close();
});
