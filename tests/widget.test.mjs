// One spec per customer action in the widget, in real headless Chromium: the
// widget on a company page served from another origin, the real worker
// behind it. Also: the whole journey by keyboard alone, the private link in a
// fresh browser context, German, and an axe-core scan of every view.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { command, startMend, inMinutes, until } from "./support/mend.mjs";
import { WidgetPage, hostPage, launchBrowser, nearTime, openWidget as widgetOn } from "./support/widget-page.mjs";
import { must } from "./support/http.mjs";
import * as axe from "./support/axe.mjs";

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

const openWidget = () => widgetOn(browser, mend.hostUrl);

const api = (method, path, key, body) => must(mend.url, method, path, key, body);
const asRep = (ticket, body, key) => command(mend, ticket, body, key);
const view = (ticket) => api("GET", `/v1/tickets/${ticket}`, mend.repKey);

const propose = (ticket) =>
  asRep(ticket, { type: "propose_resolution", summary: "A new cushion was delivered today.", prevention: "Cushions are now checked before packing." });

/** Runs axe-core in the widget's frame and fails on any WCAG 2.x A/AA violation. */
/** axe-core on the widget's frame. */
const assertAccessible = (widget, what) => axe.assertAccessible(widget.page.frames().find((f) => f.url().includes("/w/acme")), what);

test("report a problem: how it feels, what it cost and where to reach the customer reach the company", async () => {
  const widget = await openWidget();
  await widget.byTestId("feeling-frustrated").check();
  await widget.byTestId("feeling-let_down").check();
  await widget.byTestId("cost-money").fill("49.90");
  await widget.byTestId("cost-hours").fill("3");
  await widget.byTestId("cost-missed-event").check();
  await widget.byTestId("contact-email").fill("ana@example.com");
  await assertAccessible(widget, "the report form, filled in");
  const ticket = await widget.report({ whatHappened: "The cushion came torn.", impact: "We had to cancel the dinner." });

  const { report } = await view(ticket);
  assert.deepEqual(report, {
    what_happened: "The cushion came torn.",
    how_it_affected_you: "We had to cancel the dinner.",
    feelings: ["frustrated", "let_down"],
    cost: { money: { currency: "USD", minor_units: 4990 }, hours_lost: 3, missed_event: true },
    order_id: "1042",
    contact_email: "ana@example.com",
    locale: "en",
  });
  await assertAccessible(widget, "the ticket just after reporting");
  await widget.page.close();
});

test("an amount that is not one is refused next to its field, and nothing is sent", async () => {
  const widget = await openWidget();
  await widget.byTestId("what-happened").fill("The lamp flickers.");
  await widget.byTestId("cost-money").fill("a lot");
  await widget.byTestId("send-report").click();
  await widget.byTestId("cost-money-error").filter({ hasText: "“Money you lost” doesn't look right: please check it." }).waitFor();
  assert.equal(await widget.byTestId("apology").count(), 0);
  await widget.page.close();
});

test("when the code for sending cannot be fetched, the customer keeps their words and can try again", async () => {
  const widget = await openWidget();
  // Everything past the form comes in modules of its own (scripts/build.sh); a flaky network drops them.
  const dropped = (route) => route.abort("internetdisconnected");
  await widget.page.context().route(/\/app\/(split|chunk)_.*\.wasm$/, dropped);
  await widget.byTestId("what-happened").fill("The drawer sticks.");
  await widget.byTestId("send-report").click();
  await widget.byTestId("form-error").filter({ hasText: "You seem to be offline" }).waitFor();
  assert.equal(await widget.byTestId("what-happened").inputValue(), "The drawer sticks.");
  assert.equal(await widget.byTestId("send-report").textContent(), "Try again");

  await widget.page.context().unroute(/\/app\/(split|chunk)_.*\.wasm$/, dropped);
  await widget.byTestId("send-report").click();
  await widget.byTestId("apology").waitFor();
  assert.equal((await view((await widget.text("reference")).trim())).report.what_happened, "The drawer sticks.");
  await widget.page.close();
});

test("see a rep's update arrive live, with the promise in the customer's words", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "The table wobbles.", impact: "" });
  await widget.byTestId("live-status").filter({ hasText: "Live" }).waitFor();
  await asRep(ticket, { type: "update", text: "A new leg ships tomorrow.", next_update_by: inMinutes(120) });
  await widget.waitForEntry("A new leg ships tomorrow.");
  assert.match(await widget.text("promise"), /^Next update by /);
  assert.equal(await widget.text("status"), "We're working on it.");
  await widget.page.close();
});

test("where a proxy drops WebSockets, updates still arrive, by polling", async () => {
  const page = await browser.newPage();
  // Every live connection is dropped as soon as it opens, as some proxies do.
  await page.context().routeWebSocket(/\/live/, (socket) => socket.close());
  const widget = new WidgetPage(page);
  await widget.goto(mend.hostUrl);
  await widget.open();
  const ticket = await widget.report({ whatHappened: "The mirror is cracked.", impact: "" });
  await widget.byTestId("live-status").filter({ hasText: "Updating every few seconds" }).waitFor({ timeout: 30_000 });
  await asRep(ticket, { type: "update", text: "A new mirror is on its way.", next_update_by: inMinutes(60) });
  await widget.waitForEntry("A new mirror is on its way.");
  assert.equal(await widget.byTestId("event").count(), 2, "each event shown once");
  await page.close();
});

test("the company's page can start a new report while a ticket is showing", async () => {
  const widget = await openWidget();
  await widget.report({ whatHappened: "The lamp shade is dented.", impact: "" });
  await widget.page.evaluate(() => window.Mend.report({ orderId: "2002", summary: "The bulb is missing too." }));
  await widget.byTestId("report-form").waitFor();
  assert.equal(await widget.byTestId("what-happened").inputValue(), "The bulb is missing too.");
  assert.equal(await widget.text("order"), "Order #2002");
  await widget.page.close();
});

test("a company that signs with its people's names shows the rep's first name beside its own", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "The drawer sticks.", impact: "" });
  const key = (await api("POST", "/v1/workspaces/acme/keys", mend.adminToken, { role: "rep", label: "Ana, support" })).key;
  await api("PATCH", "/v1/workspaces/acme", mend.adminToken, { rep_names: true });
  try {
    await asRep(ticket, { type: "message", text: "I'll sort this today." }, key);
    await widget.waitForEntry("I'll sort this today.");
    const entry = widget.byTestId("event").filter({ hasText: "I'll sort this today." });
    assert.equal((await entry.locator(".who").textContent()).trim(), "Acme Furniture · Ana");
  } finally {
    await api("PATCH", "/v1/workspaces/acme", mend.adminToken, { rep_names: false });
  }
  await widget.page.close();
});

test("a manager joining is shown honestly", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "Second wrong delivery.", impact: "" });
  await asRep(ticket, { type: "escalate", reason: "manager_adds_value" });
  await widget.waitForEntry("A manager has joined to help.");
  await widget.page.close();
});

test("accept a make-good", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "The sofa came a week late.", impact: "" });
  await asRep(ticket, { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 2000 }, note: "For the wait." });
  await widget.byTestId("make-good").waitFor();
  assert.equal(await widget.text("make-good-value"), "$20");
  await assertAccessible(widget, "the make-good card");
  await widget.byTestId("accept-make-good").click();
  await widget.waitForEntry("You accepted our offer.");
  assert.equal(await widget.byTestId("make-good").count(), 0);
  const { make_goods } = await view(ticket);
  assert.equal(make_goods[0].status, "accepted");
  await widget.page.close();
});

test("decline a make-good", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "The rug is the wrong size.", impact: "" });
  await asRep(ticket, { type: "offer_make_good", kind: "discount", value: { currency: "USD", minor_units: 1500 } });
  await widget.byTestId("decline-make-good").click();
  await widget.waitForEntry("You declined our offer.");
  assert.equal((await view(ticket)).make_goods[0].status, "declined");
  await widget.page.close();
});

test("confirm solved, then say how the customer feels about the company now", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "The cushion came torn.", impact: "" });
  await propose(ticket);
  await widget.byTestId("solved-question").waitFor();
  assert.equal(await widget.text("prevention"), "What we changed so this won't happen again: Cushions are now checked before packing.");
  await assertAccessible(widget, "the solved question");
  await widget.byTestId("confirm-yes").click();
  await widget.byTestId("rating").waitFor();
  await assertAccessible(widget, "the rating form");
  await widget.byTestId("score-4").check();
  await widget.byTestId("rating-comment").fill("Quick and kind.");
  await widget.byTestId("send-rating").click();
  await widget.byTestId("rated").waitFor();
  const solved = await view(ticket);
  assert.equal(solved.status, "solved");
  assert.deepEqual(solved.rating, { score: 4, comment: "Quick and kind." });
  await widget.page.close();
});

test("say not yet, with a reason, and see the ticket reopen", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "The cushion came torn.", impact: "" });
  await propose(ticket);
  await widget.byTestId("confirm-not-yet").click();
  // The reason's field takes the focus from the button that opened it.
  const reason = widget.byTestId("not-yet-reason");
  await until(() => reason.evaluate((field) => field === document.activeElement), { what: "the focus on the reason" });
  await widget.byTestId("send-not-yet").click();
  // The refusal shows beside the field, is announced, and is tied to the field for a screen reader.
  await widget.byTestId("solved-question").getByRole("alert").filter({ hasText: "“What is still wrong?” needs an answer." }).waitFor();
  assert.equal(await widget.text("not-yet-reason-error"), "“What is still wrong?” needs an answer.");
  assert.equal(await reason.getAttribute("aria-invalid"), "true");
  assert.equal(await reason.getAttribute("aria-describedby"), "not-yet-reason-error");
  await assertAccessible(widget, "the not-yet form with its refusal");
  await widget.byTestId("not-yet-reason").fill("The new cushion is the wrong colour.");
  await widget.byTestId("send-not-yet").click();
  await widget.waitForEntry("Not solved yet: The new cushion is the wrong colour.");
  assert.equal(await widget.text("status"), "We're working on it.");
  assert.equal((await view(ticket)).status, "in_progress");
  await widget.page.close();
});

test("withdraw a report, in two steps", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "Never mind, it turned up.", impact: "" });
  await widget.byTestId("withdraw").click();
  await widget.byTestId("withdraw-no").click();
  await widget.byTestId("withdraw").click();
  await widget.byTestId("withdraw-yes").click();
  await widget.waitForEntry("You withdrew this report.");
  assert.equal((await view(ticket)).status, "withdrawn");
  await widget.byTestId("start-over").waitFor();
  await widget.page.close();
});

test("continue from the private link in a fresh browser context; the token leaves the address bar", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "The shelf arrived scratched.", impact: "" });
  await widget.byTestId("private-link").click();
  const link = await widget.byTestId("private-link-url").inputValue();
  assert.match(link, new RegExp(`^${mend.url}/w/acme#ticket=${ticket}&token=mend_ct_`));
  await widget.page.close();

  const elsewhere = await browser.newPage();
  await elsewhere.goto(link);
  await elsewhere.getByTestId("ticket").waitFor();
  assert.equal(await elsewhere.getByTestId("ticket").getAttribute("data-ticket"), ticket);
  assert.equal((await elsewhere.getByTestId("reference").textContent()).trim(), (await view(ticket)).reference);
  assert.equal(elsewhere.url(), `${mend.url}/w/acme`, "the token is no longer in the address bar");
  await asRep(ticket, { type: "update", text: "A new shelf ships Monday.", next_update_by: inMinutes(60) });
  await elsewhere.getByTestId("event").filter({ hasText: "A new shelf ships Monday." }).waitFor();
  await elsewhere.close();
});

test("your reports lists this device's reports and opens each", async () => {
  const widget = await openWidget();
  const first = await widget.report({ whatHappened: "First: the lamp.", impact: "" });
  await widget.byTestId("withdraw").click();
  await widget.byTestId("withdraw-yes").click();
  await widget.byTestId("start-over").click();
  const second = await widget.report({ whatHappened: "Second: the chair.", impact: "" });
  await widget.byTestId("your-reports").click();
  // The list's code is fetched the first time it shows.
  await widget.byTestId("reports").waitFor();
  const items = widget.byTestId("report-item");
  assert.deepEqual(
    (await items.allTextContents()).map((t) => t.trim()),
    [`Second: the chair.${(await view(second)).reference}`, `First: the lamp.${(await view(first)).reference}`],
  );
  await assertAccessible(widget, "your reports");
  await items.nth(1).click();
  assert.equal(await widget.ticketId(), first);
  await widget.page.close();
});

test("the whole journey by keyboard alone", async () => {
  const page = await browser.newPage();
  const widget = new WidgetPage(page);
  await widget.goto(mend.hostUrl);
  const focused = () => widget.page.frames().find((f) => f.url().includes("/w/acme"))?.evaluate(() => document.activeElement?.dataset.testid);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await widget.byTestId("report-form").waitFor();
  // Focus moves into the form's first field.
  await until(async () => (await focused()) === "what-happened", { attempts: 100, every: 20, what: "focus in the first field" });
  await page.keyboard.type("The door handle is missing.");
  for (let i = 0; i < 30 && (await focused()) !== "send-report"; i++) await page.keyboard.press("Tab");
  assert.equal(await focused(), "send-report");
  await page.keyboard.press("Enter");
  await widget.byTestId("apology").waitFor();
  const ticket = await widget.ticketId();
  await propose(ticket);
  await widget.byTestId("solved-question").waitFor();
  for (let i = 0; i < 40 && (await focused()) !== "confirm-yes"; i++) await page.keyboard.press("Tab");
  assert.equal(await focused(), "confirm-yes");
  await page.keyboard.press("Enter");
  await widget.byTestId("rating").waitFor();
  assert.equal((await view(ticket)).status, "solved");
  await page.close();
});

test("the widget speaks German when the page asks for it, refusals included", async () => {
  const page = await browser.newPage();
  await page.goto(`${mend.url}/w/acme?locale=de`);
  await page.getByTestId("report-form").waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "de");
  assert.equal((await page.locator("h1").textContent()).trim(), "Sagen Sie uns, was schiefgelaufen ist");

  // Mend refuses a report without what happened; the widget says so in German, next to the field.
  await page.getByTestId("send-report").click();
  await page.getByTestId("what-happened-error").filter({ hasText: "„Was ist passiert?“ braucht eine Antwort." }).waitFor();
  await page.getByTestId("what-happened").fill("x".repeat(4001));
  await page.getByTestId("send-report").click();
  await page.getByTestId("what-happened-error").filter({ hasText: "„Was ist passiert?“ ist zu lang: bitte unter 4000 Zeichen bleiben." }).waitFor();
  assert.equal(await page.getByTestId("apology").count(), 0);
  await page.close();
});

test("too many reports from one connection: the customer is told, in their language, to try again in a minute", async () => {
  const limited = await startMend({ vars: { REPORTS_PER_MINUTE_PER_ADDRESS: "1" } });
  try {
    // The limit counts in fixed minutes: start well inside one, so both reports fall in the same.
    await until(() => new Date().getSeconds() < 45, { attempts: 200, every: 100, what: "a fresh minute" });
    const reportFromThisConnection = async (whatHappened) => {
      const page = await browser.newPage();
      await page.goto(`${limited.url}/w/acme?locale=de`);
      await page.getByTestId("what-happened").fill(whatHappened);
      await page.getByTestId("send-report").click();
      return page;
    };
    const first = await reportFromThisConnection("Der Sessel fehlt.");
    await first.getByTestId("apology").waitFor();
    await first.close();

    const second = await reportFromThisConnection("Der Tisch ist zerkratzt.");
    const refusal = second.getByTestId("form-error");
    await refusal.filter({ hasText: "Gerade kommen zu viele Meldungen" }).waitFor();
    assert.equal(
      (await refusal.textContent()).trim(),
      "Gerade kommen zu viele Meldungen — bitte versuchen Sie es in einer Minute erneut.",
    );
    assert.equal((await second.getByTestId("send-report").textContent()).trim(), "Erneut versuchen");
    assert.equal(await second.getByTestId("what-happened").inputValue(), "Der Tisch ist zerkratzt.", "the words are kept");
    assert.equal(await second.getByTestId("apology").count(), 0);
    await second.close();

    const queue = await fetch(`${limited.url}/v1/queue`, { headers: { Authorization: `Bearer ${limited.repKey}` } });
    assert.equal(queue.status, 200);
    assert.deepEqual((await queue.json()).tickets.map((t) => t.what_happened), ["Der Sessel fehlt."], "the refused report was not filed");
  } finally {
    await limited.stop();
  }
});

test("a customer who reports while the company is closed is told so, with when the first answer comes", async () => {
  await api("POST", "/v1/workspaces", mend.adminToken, { id: "closedco", name: "Closed Co", apology: "We're sorry: we got this wrong." });
  const manager = (await api("POST", "/v1/workspaces/closedco/keys", mend.adminToken, { role: "manager", label: "Maria" })).key;
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const always = Object.fromEntries(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map((d) => [d, [{ opens: "00:00", closes: "24:00" }]]));
  await api("PATCH", "/v1/workspaces/closedco", manager, { opening_hours: { time_zone: "UTC", week: always, closed_dates: [day(0), day(1)], first_answer_minutes: 60 } });

  const page = await browser.newPage();
  await page.goto(`${mend.url}/w/closedco`);
  await page.getByTestId("what-happened").fill("The bookcase arrived in pieces.");
  await page.getByTestId("send-report").click();
  await page.getByTestId("ticket").waitFor();
  const promise = (await page.getByTestId("promise").textContent()).trim();
  // Said in the customer's own time, worked out here with the browser's Intl.
  const when = await nearTime(page, `${day(2)}T01:00:00Z`);
  assert.equal(promise, `We're closed now — we'll answer by ${when}`);
  await page.close();
});
