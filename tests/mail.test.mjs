// Email to the customer who is not watching, against the real worker in
// `wrangler dev` and the run's recording inbox (scripts/mailbox.mjs), whose
// messages mailparser — an independent MIME parser — has read. Whether an
// email was *not* sent is always decided by a later one: the next email
// tells only what came after.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { command, inMinutes, listen, startMend, until } from "./support/mend.mjs";
import { launchBrowser } from "./support/widget-page.mjs";
import { ConsolePage } from "./support/console-page.mjs";
import * as http from "./support/http.mjs";

let mend;
let browser;
// News waits 1.5 s for more before it is emailed (2 minutes in production).
before(async () => {
  mend = await startMend({ vars: { EMAIL_COALESCE_MS: "1500" } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mend?.stop();
});

const call = (method, path, options) => http.call(mend.url, method, path, options);

/** A report by a customer who gave `email`; its id, token and reference. */
async function report(email, extra = {}) {
  const created = await call("POST", "/v1/reports", {
    body: { workspace: "acme", what_happened: "The armchair was not in the delivery.", contact_email: email, ...extra },
  });
  assert.equal(created.status, 201, created.text);
  return { id: created.body.ticket.id, token: created.body.customer_token, reference: created.body.ticket.reference };
}

/** The emails the inbox holds for `address`, oldest first. */
const mailFor = (address) => mend.mailbox.messages.filter((m) => m.envelope.to === address);

/** Waits until `address` has `n` emails; returns them. */
async function emails(address, n) {
  await until(() => mailFor(address).length >= n, { attempts: 200, every: 50, what: `${n} email(s) to ${address}` });
  assert.equal(mailFor(address).length, n, `exactly ${n} email(s) to ${address}`);
  return mailFor(address);
}

const update = (id, text) => command(mend, id, { type: "update", text, next_update_by: inMinutes(120) });

/** Waits until the ticket's object no longer has a widget of the customer open (as reps see it). */
const left = (id) =>
  until(async () => (await call("GET", `/v1/tickets/${id}`, { token: mend.repKey })).body.customer_watching === undefined, {
    what: "the customer's widget gone",
  });

test("away, the customer gets the rep's update as one email: the promise, the reference, and a link that opens the ticket", async () => {
  const { id, reference } = await report("ana@example.com");
  await update(id, "Your armchair ships tomorrow morning.");
  const [email] = await emails("ana@example.com", 1);

  assert.equal(email.subject, `Your report ${reference}: The armchair was not in the delivery.`);
  assert.deepEqual(email.from, [{ address: "care@mend.test", name: "Acme Furniture" }]);
  assert.match(email.text, /Acme Furniture sent you an update:\nYour armchair ships tomorrow morning\./);
  assert.match(email.text, /We'll update you by \w+day \d+ \w+, \d\d:\d\d \(Europe\/London\) at the latest\./);
  assert.match(email.text, new RegExp(`Your reference: ${reference}`));
  assert.match(email.html, /Your armchair ships tomorrow morning\./);
  // Threading: every email of the ticket refers to the same root.
  assert.equal(email.inReplyTo, `<ticket-${id}@mend.test>`);
  assert.equal(email.references, `<ticket-${id}@mend.test>`);
  assert.match(email.messageId, new RegExp(`^<ticket-${id}\\.2@mend\\.test>$`));
  // One-click unsubscribe (RFC 8058).
  assert.match(email.headers["list-unsubscribe"], new RegExp(`^<${mend.url}/v1/unsubscribe/${id}/mend_us_[A-Za-z0-9_-]+>$`));
  assert.equal(email.headers["list-unsubscribe-post"], "List-Unsubscribe=One-Click");

  // The button's link opens the ticket in a browser that never saw it, and the token leaves the address bar.
  const link = email.text.match(/Open your report: (\S+)/)[1];
  assert.ok(link.startsWith(`${mend.url}/w/acme#ticket=${id}&token=mend_ct_`), link);
  const page = await browser.newPage();
  await page.goto(link);
  await page.getByTestId("event").filter({ hasText: "Your armchair ships tomorrow morning." }).waitFor();
  assert.equal((await page.getByTestId("reference").textContent()).trim(), reference);
  assert.equal(page.url(), `${mend.url}/w/acme`);
  await page.close();
});

test("while the customer watches live, nothing is emailed; once they leave, the next email tells only what came after", async () => {
  const { id, token } = await report("ben@example.com");
  const watching = listen(mend.url, id, token, 0);
  await watching.opened;
  await update(id, "Seen live: we found your armchair.");
  await until(() => watching.received.some((e) => e.text === "Seen live: we found your armchair."), { what: "the update on the socket" });
  // Past the window while they watch: the update is theirs already.
  await command(mend, id, { type: "message", text: "Seen live as well." });
  await until(() => watching.received.length === 3, { what: "the message on the socket" });
  assert.equal((await call("GET", `/v1/tickets/${id}`, { token: mend.repKey })).body.customer_watching, true);
  watching.socket.close();
  await left(id);

  await update(id, "After they left: it ships today.");
  const [email] = await emails("ben@example.com", 1);
  assert.match(email.text, /After they left: it ships today\./);
  assert.doesNotMatch(email.text, /Seen live/);
});

test("three pieces of news close together become one email, in order", async () => {
  const { id } = await report("cleo@example.com");
  await update(id, "First: we are on it.");
  await command(mend, id, { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 2500 }, note: "For the trouble." });
  await command(mend, id, { type: "ask", question: "Is Thursday morning fine for delivery?" });
  const [email] = await emails("cleo@example.com", 1);
  const order = ["First: we are on it.", "would like to make it up to you: $25 store credit.", "Is Thursday morning fine for delivery?"];
  const at = order.map((text) => email.text.indexOf(text));
  assert.ok(at.every((i) => i >= 0) && at[0] < at[1] && at[1] < at[2], `${at} in:\n${email.text}`);
  assert.match(email.text, /Please answer our question: your answer lets us carry on\./);

  await command(mend, id, { type: "message", text: "A later word." });
  const later = await emails("cleo@example.com", 2);
  assert.match(later[1].text, /A later word\./);
  assert.doesNotMatch(later[1].text, /First: we are on it\./);
});

test("one-click unsubscribe stops emails for that ticket at once; the widget shows them off, and the customer turns them on again there", async () => {
  const { id, token } = await report("dana@example.com");
  await update(id, "An update before she unsubscribed.");
  const [first] = await emails("dana@example.com", 1);
  const unsubscribe = first.headers["list-unsubscribe"].slice(1, -1);

  // What a mail client sends (RFC 8058): a POST with this one field.
  const stopped = await fetch(unsubscribe, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
  assert.equal(stopped.status, 200);
  assert.deepEqual(await stopped.json(), { on: false });
  assert.deepEqual((await call("GET", `/v1/tickets/${id}`, { token })).body.emails, { on: false });

  await update(id, "Sent while emails were off.");
  // The widget shows emails off, and she turns them on again there.
  const page = await browser.newPage();
  await page.goto(first.text.match(/Open your report: (\S+)/)[1]);
  const toggle = page.getByTestId("emails-toggle");
  await toggle.waitFor();
  assert.equal(await toggle.isChecked(), false);
  await toggle.check();
  await until(async () => (await call("GET", `/v1/tickets/${id}`, { token })).body.emails.on === true, { what: "emails on again" });
  await page.reload();
  await page.getByTestId("emails-toggle").waitFor();
  assert.equal(await page.getByTestId("emails-toggle").isChecked(), true);
  await page.close();
  await left(id);
  await update(id, "Sent once they were on again.");
  const [, second] = await emails("dana@example.com", 2);
  assert.match(second.text, /Sent once they were on again\./);
  assert.doesNotMatch(second.text, /Sent while emails were off\./);

  // Only the customer decides: not a rep.
  const byRep = await call("PUT", `/v1/tickets/${id}/emails`, { token: mend.repKey, body: { on: false } });
  assert.equal(byRep.status, 403);
  assert.equal(byRep.body.error.code, "forbidden");
});

test("an unsubscribe link made up or for another ticket changes nothing and says so", async () => {
  const { id, token } = await report("eve@example.com");
  const other = await report("frank@example.com");
  await update(other.id, "Frank's update.");
  const [franks] = await emails("frank@example.com", 1);
  const franksToken = franks.headers["list-unsubscribe"].match(/\/(mend_us_[^>]+)>$/)[1];

  for (const path of [`/v1/unsubscribe/${id}/${franksToken}`, `/v1/unsubscribe/${id}/mend_us_${"A".repeat(43)}`, "/v1/unsubscribe/nope/x"]) {
    const refused = await call("POST", path, { headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    assert.equal(refused.status, 404, path);
    assert.equal(refused.body.error.code, "not_found");
    assert.match(refused.body.error.message, /Nothing was changed\./);
  }
  // A person in a browser is asked first, and told plainly when the link is no good.
  const page = await browser.newPage();
  await page.goto(`${mend.url}/v1/unsubscribe/${id}/${franksToken}`);
  await page.getByTestId("unsubscribe").click();
  await page.getByTestId("unsubscribe-refused").waitFor();
  await page.close();
  assert.deepEqual((await call("GET", `/v1/tickets/${id}`, { token })).body.emails, { on: true });
  assert.deepEqual((await call("GET", `/v1/tickets/${other.id}`, { token: other.token })).body.emails, { on: true });
  // The refused attempts left nothing behind: Eve's own first email's link works.
  await update(id, "Eve's update.");
  const [eves] = await emails("eve@example.com", 1);
  const stopped = await fetch(eves.headers["list-unsubscribe"].slice(1, -1), { method: "POST", body: "List-Unsubscribe=One-Click" });
  assert.equal(stopped.status, 200);
  assert.deepEqual((await call("GET", `/v1/tickets/${id}`, { token })).body.emails, { on: false });
});

test("a German customer gets German; the company's words are text in both parts, and customer words never make a header", async () => {
  const { id, reference } = await report("gerd@example.com", {
    locale: "de",
    what_happened: "Der Sessel fehlte.\r\nBcc: someone@example.com",
  });
  await update(id, "Wir liefern morgen. <script>alert('x')</script>");
  const [email] = await emails("gerd@example.com", 1);
  assert.equal(email.subject, `Ihre Meldung ${reference}: Der Sessel fehlte. Bcc: someone@example.com`);
  assert.equal(email.headers.bcc, undefined);
  assert.equal(email.headers["content-language"], "de");
  assert.match(email.text, /Acme Furniture hat Ihnen ein Update geschickt:/);
  assert.match(email.text, /Nächstes Update bis spätestens \w+, \d+\. \w+, \d\d:\d\d \(Europe\/London\)\./);
  assert.match(email.text, /Wir liefern morgen\. <script>alert\('x'\)<\/script>/);
  assert.match(email.html, /Wir liefern morgen\. &#60;script&#62;alert\(&#39;x&#39;\)&#60;\/script&#62;/);
  assert.doesNotMatch(email.html, /<script/);
});

test("when the mail service refuses, reps see why on the ticket, and Mend tries again until it is sent", async () => {
  const { id } = await report("hana@example.com");
  // Three refusals: Mend tries again after 1, 2 and 4 seconds.
  await fetch(`${mend.mailbox.url}/api/fail`, { method: "POST", body: JSON.stringify({ next: 3 }) });
  await update(id, "Sent through a hiccup.");
  const trouble = await until(
    async () => (await call("GET", `/v1/tickets/${id}`, { token: mend.repKey })).body.email_trouble,
    { attempts: 200, every: 50, what: "the failure on the rep's view" },
  );
  assert.match(trouble, /^Emailing the customer failed [123] time\(s\) so far; Mend keeps trying\. The last error: .*503/);
  // The console shows it on the ticket.
  const console = new ConsolePage(await browser.newPage(), mend.url);
  await console.signIn(mend.repKey);
  await console.openTicket(id);
  await console.byTestId("email-trouble").filter({ hasText: "Emailing the customer failed" }).waitFor();
  assert.equal(await console.text("emails"), "Mend emails the customer your news while they are away.");
  await console.page.close();
  const [email] = await emails("hana@example.com", 1);
  assert.match(email.text, /Sent through a hiccup\./);
  await until(async () => (await call("GET", `/v1/tickets/${id}`, { token: mend.repKey })).body.email_trouble === undefined, {
    what: "the trouble cleared once it was sent",
  });
});
