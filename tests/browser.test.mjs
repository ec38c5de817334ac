// The customer's journey in real headless Chromium: the widget embedded on a
// company page served from another origin, the real worker behind it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { command, startMend, inMinutes, until } from "./support/mend.mjs";
import { WidgetPage, hostPage, launchBrowser, nearTime, openWidget as widgetOn } from "./support/widget-page.mjs";

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

const asRep = (ticket, body) => command(mend, ticket, body);

test("a customer reports, sees the apology, follows updates live and confirms it is solved", async () => {
  const page = await browser.newPage();
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  const widget = new WidgetPage(page);

  await widget.goto(mend.hostUrl);
  assert.deepEqual(
    requests.filter((url) => url.startsWith(mend.url)),
    [`${mend.url}/widget.js`],
    "before the customer shows intent, only the loader is fetched",
  );

  await widget.open();
  assert.equal(await widget.text("order"), "Order #1042");
  const ticket = await widget.report({
    whatHappened: "The armchair was not in the delivery.",
    impact: "We had guests on Sunday and nowhere to seat them.",
  });
  assert.match(await widget.text("apology"), /We're truly sorry\..*— Acme Furniture/s);
  assert.equal(await widget.text("status"), "We have your report.");
  // The first answer is promised at once, from the company's opening hours,
  // in the customer's own time.
  const opened = await (await fetch(`${mend.url}/v1/tickets/${ticket}`, { headers: { Authorization: `Bearer ${mend.repKey}` } })).json();
  const due = opened.promise.due;
  // The reference the customer would read to a rep, not the ticket's id.
  assert.match(opened.reference, /^ACM-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/);
  assert.equal(await widget.text("reference"), opened.reference);
  // Said as near as it is, worked out here with the browser's own Intl.
  const when = await nearTime(page, due);
  // A report sent while the company is closed is told so (the default hours
  // are weekdays 09:00–17:00 in London: CI runs at any hour).
  assert.equal(await widget.text("promise"), opened.events[0].opens_at ? `We're closed now — we'll answer by ${when}` : `We'll answer by ${when}`);
  await widget.waitForEntry("The armchair was not in the delivery.");
  await widget.byTestId("live-status").filter({ hasText: "Live" }).waitFor();

  // The rep answers while the widget is open: it arrives without a reload.
  await asRep(ticket, { type: "update", text: "Your armchair ships tomorrow morning.", next_update_by: inMinutes(120) });
  await widget.waitForEntry("Your armchair ships tomorrow morning.");
  assert.equal(await widget.text("status"), "We're working on it.");
  assert.match(await widget.text("promise"), /^Next update by /);

  await asRep(ticket, {
    type: "propose_resolution",
    summary: "The armchair was delivered this morning.",
    prevention: "Every item is now scanned before the van leaves.",
  });
  await widget.byTestId("solved-question").waitFor();
  assert.match(await widget.text("solved-question"), /Is this solved for you\?/);
  await widget.waitForEntry("Every item is now scanned before the van leaves.");

  await widget.byTestId("confirm-yes").click();
  await widget.byTestId("solved").waitFor();
  assert.equal(await widget.text("status"), "Solved — you confirmed it.");

  const seen = await fetch(`${mend.url}/v1/tickets/${ticket}`, { headers: { Authorization: `Bearer ${mend.repKey}` } });
  const view = await seen.json();
  assert.equal(view.status, "solved");
  assert.deepEqual(view.events.map((e) => [e.by, e.type]), [
    ["customer", "reported"],
    ["rep", "updated"],
    ["rep", "resolution_proposed"],
    ["customer", "confirmed_solved"],
  ]);
  await page.close();
});

test("a report without what happened is refused next to the field", async () => {
  const widget = await openWidget();
  const page = widget.page;
  // The form opens with the customer in its first field.
  const field = widget.byTestId("what-happened");
  await until(() => field.evaluate((control) => control === document.activeElement), { what: "the focus on what happened" });
  await widget.byTestId("send-report").click();
  await widget.byTestId("what-happened-error").filter({ hasText: "“What happened?” needs an answer." }).waitFor();
  // The refusal is announced and tied to its field; the form stays as it was.
  assert.equal(await widget.byTestId("what-happened-error").getAttribute("role"), "alert");
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.equal(await field.getAttribute("aria-describedby"), "what-happened-error");
  assert.equal(await widget.byTestId("impact").getAttribute("aria-invalid"), "false");
  assert.equal(await widget.byTestId("apology").count(), 0);
  await page.close();
});

test("a customer answers the company's question and the promise clock runs again", async () => {
  const widget = await openWidget();
  const page = widget.page;
  const ticket = await widget.report({ whatHappened: "The coffee table is scratched.", impact: "It was a gift." });

  await asRep(ticket, { type: "update", text: "We're so sorry. Looking into it now.", next_update_by: inMinutes(60) });
  await asRep(ticket, { type: "ask", question: "Could you tell us where the scratch is?" });
  await widget.waitForEntry("Could you tell us where the scratch is?");
  assert.equal(await widget.text("status"), "We asked you something below.");

  await widget.byTestId("message").fill("On the top, near the left corner.");
  await widget.byTestId("send-message").click();
  await widget.waitForEntry("On the top, near the left corner.");
  await widget.byTestId("status").filter({ hasText: "We're working on it." }).waitFor();
  // The draft clears once Mend answers the command, which may come after the event arrives live.
  await until(async () => (await widget.byTestId("message").inputValue()) === "", { what: "the sent message to leave the box" });

  const seen = await (await fetch(`${mend.url}/v1/tickets/${ticket}`, { headers: { Authorization: `Bearer ${mend.repKey}` } })).json();
  assert.equal(seen.status, "in_progress");
  const last = seen.events.at(-1);
  assert.deepEqual([last.by, last.type, last.text], ["customer", "message_added", "On the top, near the left corner."]);
  assert.equal(seen.promise.missed, false);
  await page.close();
});

test("a promise the company did not keep is shown as late", async () => {
  const widget = await openWidget();
  const page = widget.page;
  const ticket = await widget.report({ whatHappened: "Nobody came to collect the old sofa.", impact: "" });
  await asRep(ticket, { type: "update", text: "We'll confirm the pickup shortly.", next_update_by: new Date(Date.now() + 1500).toISOString() });
  await widget.byTestId("promise").filter({ hasText: /— late$/ }).waitFor();
  await widget.waitForEntry("didn't keep it. We're sorry.");
  await page.close();
});

test("a customer who reloads the page comes back to their ticket, and can start a new one once it is solved", async () => {
  const widget = await openWidget();
  const page = widget.page;
  const ticket = await widget.report({ whatHappened: "The sofa legs are missing.", impact: "It sits on the floor." });
  await asRep(ticket, { type: "propose_resolution", summary: "The legs were delivered today.", prevention: "Fittings are now packed with the sofa." });
  await widget.byTestId("solved-question").waitFor();

  await page.reload();
  await widget.launcher.waitFor();
  await widget.launcher.click();
  await widget.byTestId("solved-question").waitFor();
  assert.equal(await widget.ticketId(), ticket);
  await widget.waitForEntry("The legs were delivered today.");

  await widget.byTestId("confirm-yes").click();
  await widget.byTestId("start-over").click();
  await widget.byTestId("report-form").waitFor();
  await page.reload();
  await widget.launcher.click();
  await widget.byTestId("report-form").waitFor();
  await page.close();
});

// Last, because it restarts the runtime under every other page.
test("the widget reconnects after the runtime restarts and shows what came next, once", async () => {
  const widget = await openWidget();
  const ticket = await widget.report({ whatHappened: "The wrong fabric was delivered.", impact: "" });
  await widget.byTestId("live-status").filter({ hasText: "Live" }).waitFor();

  await mend.restart();
  await asRep(ticket, { type: "update", text: "The right fabric ships today.", next_update_by: inMinutes(90) });
  await widget.waitForEntry("The right fabric ships today.");
  await widget.byTestId("live-status").filter({ hasText: "Live" }).waitFor();
  const entries = await widget.byTestId("event").allTextContents();
  assert.equal(entries.length, 2, entries.join(" | "));
  await widget.page.close();
});
