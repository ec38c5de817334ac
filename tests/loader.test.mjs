// The loader (public/widget.js) on a company's page, in real headless
// Chromium with the real worker behind it: nothing before intent, a strict
// CSP, the launcher's accessibility, the `window.Mend` API, and the messages
// between page and frame, which both sides take only from each other.
//
// The company's site is a server of this file's own, on an origin of its
// own, because every page it serves carries a strict Content-Security-Policy
// (scripts by nonce or from Mend, frames from Mend, styles from itself,
// nothing 'unsafe-inline'): the loader must work under it, and each test
// checks that nothing broke it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { command, freePort, inMinutes, startMend, until } from "./support/mend.mjs";
import { WidgetPage, launchBrowser } from "./support/widget-page.mjs";
import { signIdentity } from "./support/jwt.mjs";

let mend;
let browser;
let shop;

before(async () => {
  mend = await startMend();
  browser = await launchBrowser();
  shop = await startShop(mend.url);
  // Acme lets the shop embed its widget, as a company does for its own site.
  const { origins } = await admin("GET", "/v1/workspaces/acme");
  await admin("PATCH", "/v1/workspaces/acme", { origins: [...origins, shop.origin] });
});
after(async () => {
  await browser?.close();
  await shop?.stop();
  await mend?.stop();
});

/**
 * The company's site. `page(path, { attrs, head, frames })` serves at `path`
 * an order page with the loader's script tag (its `data-*` from `attrs`),
 * `head` inside a nonced `<script>` if given, and `'self'` added to
 * `frame-src` if `frames` (for a same-origin frame of the shop's own).
 */
async function startShop(mendUrl) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const pages = new Map();
  const server = createServer((req, res) => {
    const path = new URL(req.url, origin).pathname;
    if (path === "/favicon.ico") return res.writeHead(204).end(); // the browser's, not the loader's
    const page = pages.get(path);
    if (!page) return res.writeHead(404).end();
    const nonce = randomBytes(16).toString("base64");
    const frameSrc = page.frames ? `'self' ${mendUrl}` : mendUrl;
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'self'; script-src 'nonce-${nonce}' ${mendUrl}; frame-src ${frameSrc}; style-src 'self'`,
    });
    const attrs = Object.entries({ workspace: "acme", "order-id": "1042", ...page.attrs })
      .map(([name, value]) => ` data-${name}="${value}"`)
      .join("");
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Order #1042 — Acme Furniture</title>
${page.head ? `<script nonce="${nonce}">${page.head}</script>` : ""}</head>
<body><h1>Order #1042 — sofa, armchair, coffee table</h1>
<p>Delivered Saturday.</p>
<script src="${mendUrl}/widget.js"${attrs} async></script>
</body></html>`);
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    origin,
    page(path, options = {}) {
      pages.set(path, options);
      return path;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function admin(method, path, body) {
  const response = await fetch(`${mend.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${mend.adminToken}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body && JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

const asRep = (ticket, body) => command(mend, ticket, body);

/**
 * A fresh customer on the shop's page at `path`. `seen` collects every
 * request, console error and uncaught error; `violations()` the CSP
 * violations reported in the page and in every frame.
 */
async function visit(path) {
  const page = await browser.newPage();
  const seen = { requests: [], errors: [] };
  page.on("request", (request) => seen.requests.push(request.url()));
  page.on("console", (message) => message.type() === "error" && seen.errors.push(message.text()));
  page.on("pageerror", (error) => seen.errors.push(error.message));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const widget = new WidgetPage(page);
  // Only Mend's frame: some tests put another frame on the page.
  widget.frame = page.frameLocator(`iframe[src^="${mend.url}/w/"]`);
  const response = await page.goto(shop.origin + path);
  await widget.launcher.waitFor();
  const violations = async () =>
    (await Promise.all(page.frames().map((frame) => frame.evaluate(() => window.__violations ?? []).catch(() => [])))).flat();
  return { page, widget, seen, response, violations };
}

/** Mend's frame element on `page` (in the launcher's shadow root). */
const frameElement = (page) => page.locator(`iframe[src^="${mend.url}/w/"]`);

/** Which element has focus, looking into the launcher's shadow root. */
const focused = (page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    const inner = active?.shadowRoot?.activeElement ?? active;
    return inner?.dataset?.testid ?? inner?.tagName.toLowerCase();
  });

/** Registers page callbacks for every Mend event; `heard(page)` reads what they got. */
const listenAll = (page) =>
  page.evaluate(() => {
    window.heard = [];
    for (const name of ["open", "close", "reported", "solved"]) Mend.on(name, (detail) => window.heard.push([name, detail ?? null]));
  });
const heard = (page) => page.evaluate(() => window.heard);

test("before intent the loader makes no request, sets no cookie or storage and opens no frame", async () => {
  const { page, seen, violations } = await visit(shop.page("/quiet"));
  await page.waitForLoadState("networkidle");
  await delay(300);
  assert.deepEqual(seen.requests, [`${shop.origin}/quiet`, `${mend.url}/widget.js`]);
  assert.deepEqual(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length]), ["", 0, 0]);
  assert.deepEqual(await page.context().cookies(), []);
  assert.equal(page.frames().length, 1);
  assert.equal(await page.locator("iframe").count(), 0);
  assert.equal(await page.evaluate(() => typeof window.Mend.open), "function");
  assert.deepEqual(await violations(), []);
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test("hovering the launcher loads the frame hidden, and a click shows it", async () => {
  const { page, widget, seen } = await visit(shop.page("/hover"));
  await widget.launcher.hover();
  await frameElement(page).waitFor({ state: "attached" });
  const src = new URL(await frameElement(page).getAttribute("src"));
  assert.equal(src.pathname, "/w/acme");
  assert.equal(src.searchParams.get("order"), "1042");
  assert.equal(src.searchParams.get("host"), shop.origin);
  assert.ok(seen.requests.includes(src.href), "the frame is requested on hover");
  // It loads in the background, and stays out of sight until the click.
  await widget.byTestId("report-form").waitFor({ state: "attached" });
  assert.equal(await frameElement(page).isVisible(), false);
  assert.equal(await widget.launcher.getAttribute("aria-expanded"), "false");

  await widget.launcher.click();
  await widget.byTestId("report-form").waitFor();
  assert.equal(await frameElement(page).count(), 1, "the preloaded frame is the one shown");
  await page.close();
});

test("the loader works on a page with a strict CSP: nonce for scripts, no 'unsafe-inline'", async () => {
  const { page, widget, seen, response, violations } = await visit(shop.page("/strict", { attrs: { position: "left", color: "#7c2d12" } }));
  const csp = response.headers()["content-security-policy"];
  assert.match(csp, /script-src 'nonce-[^']+' http:\/\/127\.0\.0\.1:\d+; frame-src http:\/\/127\.0\.0\.1:\d+; style-src 'self'$/);
  assert.doesNotMatch(csp, /unsafe-inline/);

  // The constructed stylesheet applies: fixed (no layout shift), on the side and in the colour asked for.
  const style = await widget.launcher.evaluate((button) => {
    const s = getComputedStyle(button);
    return [s.position, s.left, s.backgroundColor];
  });
  assert.deepEqual(style, ["fixed", "20px", "rgb(124, 45, 18)"]);
  assert.deepEqual(await page.evaluate(() => document.querySelector("mend-widget").getBoundingClientRect().height), 0);

  await widget.open();
  const ticket = await widget.report({ whatHappened: "The armchair is missing.", impact: "Guests had nowhere to sit." });
  assert.match(ticket, /\S/);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test("the launcher is a labelled button in a shadow root, and opening it sets aria-expanded and moves focus into the frame", async () => {
  const { page, widget } = await visit(shop.page("/a11y"));
  const launcher = page.getByRole("button", { name: "Report a problem" });
  assert.equal(await launcher.count(), 1);
  assert.equal(await launcher.getAttribute("data-testid"), "mend-launcher");
  assert.equal(await launcher.evaluate((el) => el.getRootNode() instanceof ShadowRoot && el.tagName), "BUTTON");
  assert.equal(await launcher.getAttribute("aria-expanded"), "false");

  await launcher.focus();
  await page.keyboard.press("Enter");
  await widget.byTestId("report-form").waitFor();
  assert.equal(await launcher.getAttribute("aria-expanded"), "true");
  assert.equal(await frameElement(page).getAttribute("title"), "Report a problem");
  assert.equal(await focused(page), "iframe");

  await launcher.click();
  assert.equal(await launcher.getAttribute("aria-expanded"), "false");
  assert.equal(await frameElement(page).isVisible(), false);
  await page.close();
});

test("data-label names the launcher and the frame in the page's own language", async () => {
  const { page, widget } = await visit(shop.page("/de", { attrs: { locale: "de", label: "Problem melden" } }));
  const launcher = page.getByRole("button", { name: "Problem melden" });
  assert.equal(await launcher.count(), 1);
  await launcher.click();
  await widget.byTestId("report-form").waitFor();
  assert.equal(await frameElement(page).getAttribute("title"), "Problem melden");
  assert.equal(await widget.byTestId("send-report").textContent(), "Senden");
  await page.close();
});

test("closing the frame by its × or by Escape hides it and returns focus to the launcher", async () => {
  const { page, widget } = await visit(shop.page("/close"));
  await widget.open();
  await widget.byTestId("close").click();
  await frameElement(page).waitFor({ state: "hidden" });
  assert.equal(await widget.launcher.getAttribute("aria-expanded"), "false");
  assert.equal(await focused(page), "mend-launcher");

  await page.keyboard.press("Enter"); // the launcher has focus again
  await widget.byTestId("report-form").waitFor();
  await widget.byTestId("what-happened").focus();
  await page.keyboard.press("Escape");
  await frameElement(page).waitFor({ state: "hidden" });
  assert.equal(await widget.launcher.getAttribute("aria-expanded"), "false");
  assert.equal(await focused(page), "mend-launcher");
  await page.close();
});

test("Mend.report opens the widget with the form prefilled, even before the frame is ready", async () => {
  const { page, widget } = await visit(shop.page("/report"));
  // Hovering starts loading the frame; the call comes while it loads, before it listens.
  await widget.launcher.hover();
  await page.evaluate(() => Mend.report({ orderId: "2001", summary: "The lamp is broken" }));
  await widget.byTestId("report-form").waitFor();
  await until(async () => (await widget.byTestId("what-happened").inputValue()) === "The lamp is broken", { what: "the prefill" });
  assert.equal(await widget.text("order"), "Order #2001");
  assert.equal(await widget.launcher.getAttribute("aria-expanded"), "true");

  // Once the frame is ready, calls go straight through; a number is an order id too.
  await page.evaluate(() => Mend.report({ orderId: 2002, summary: "The shade is torn too" }));
  await until(async () => (await widget.byTestId("what-happened").inputValue()) === "The shade is torn too", { what: "the second prefill" });
  assert.equal(await widget.text("order"), "Order #2002");
  await page.close();
});

test("Mend.setContext follows a single-page app to another order", async () => {
  const { page, widget } = await visit(shop.page("/spa"));
  await page.evaluate(() => Mend.setContext({ orderId: "3003" })); // before intent: queued, nothing loads
  assert.equal(await page.locator("iframe").count(), 0);
  await widget.open();
  await widget.byTestId("order").filter({ hasText: "Order #3003" }).waitFor();
  await page.evaluate(() => Mend.setContext({ orderId: "3004" }));
  await widget.byTestId("order").filter({ hasText: "Order #3004" }).waitFor();
  await page.close();
});

test("Mend.on hears open, reported, solved and close", async () => {
  const { page, widget } = await visit(shop.page("/events"));
  await listenAll(page);
  await widget.open();
  const ticket = await widget.report({ whatHappened: "The coffee table is scratched.", impact: "It was a gift." });
  await until(async () => (await heard(page)).length === 2, { what: "the reported event" });

  await asRep(ticket, { type: "update", text: "A new top ships today.", next_update_by: inMinutes(60) });
  await asRep(ticket, { type: "propose_resolution", summary: "The new top was fitted.", prevention: "Tables are now packed in corner guards." });
  await widget.byTestId("confirm-yes").click();
  await widget.byTestId("solved").waitFor();
  await until(async () => (await heard(page)).length === 3, { what: "the solved event" });

  await widget.byTestId("close").click();
  await until(async () => (await heard(page)).length === 4, { what: "the close event" });
  assert.deepEqual(await heard(page), [
    ["open", null],
    ["reported", { ticket }],
    ["solved", { ticket }],
    ["close", null],
  ]);
  await page.close();
});

test("messages from the wrong origin or source are ignored on both sides", async () => {
  shop.page("/other-frame", {});
  const { page, widget, violations } = await visit(shop.page("/guarded", { frames: true }));
  await listenAll(page);
  await page.evaluate(() => Mend.report({ orderId: "2001", summary: "The lamp is broken" }));
  await until(async () => (await widget.byTestId("what-happened").inputValue()) === "The lamp is broken", { what: "the prefill" });

  /** Adds a frame at `src` to the page and returns it. */
  const addFrame = async (src) => {
    await page.evaluate(
      (src) => new Promise((resolve) => document.body.append(Object.assign(document.createElement("iframe"), { src, onload: resolve }))),
      src,
    );
    return page.frames().find((frame) => frame.url() === src);
  };
  // Another frame of the page's own origin: the right origin for Mend's frame, the wrong window.
  const sameOrigin = await addFrame(`${shop.origin}/other-frame`);
  await sameOrigin.evaluate((mendOrigin) => {
    const mendFrame = parent.document.querySelector("mend-widget").shadowRoot.querySelector("iframe").contentWindow;
    mendFrame.postMessage({ mend: 1, type: "report", orderId: "666", summary: "Forged by another frame" }, mendOrigin);
    parent.postMessage({ mend: 1, type: "reported", ticket: "T-FORGED-1" }, "*");
  }, mend.url);
  // Another frame of Mend's origin: the right origin for the page, the wrong window.
  const mendOrigin = await addFrame(`${mend.url}/v1/health`);
  await mendOrigin.evaluate(() => {
    parent.postMessage({ mend: 1, type: "reported", ticket: "T-FORGED-2" }, "*");
    parent.postMessage({ mend: 1, type: "close" }, "*");
  });
  // Mend's frame to itself: neither its parent's window nor the page's origin.
  const mendFrame = page.frames().find((frame) => frame.url().startsWith(`${mend.url}/w/`));
  await mendFrame.evaluate(() => window.postMessage({ mend: 1, type: "report", summary: "Forged by the frame itself" }, "*"));
  // The page to itself.
  await page.evaluate(() => window.postMessage({ mend: 1, type: "close" }, "*"));
  await delay(500);

  assert.equal(await widget.byTestId("what-happened").inputValue(), "The lamp is broken");
  assert.equal(await widget.text("order"), "Order #2001");
  assert.equal(await widget.launcher.getAttribute("aria-expanded"), "true");
  assert.deepEqual(await heard(page), [["open", null]], "no forged reported or close");

  // The page's own calls still go through.
  await page.evaluate(() => Mend.report({ summary: "The bulb is broken too" }));
  await until(async () => (await widget.byTestId("what-happened").inputValue()) === "The bulb is broken too", { what: "the page's prefill" });
  assert.deepEqual(await violations(), []);
  await page.close();
});

test("a frame given no page origin, or a false one, posts nothing", async () => {
  const { page, violations } = await visit(shop.page("/lied-to"));
  const lies = ["*", "http://127.0.0.1:1", `${shop.origin}/order`, null];
  await page.evaluate(
    ({ mendUrl, lies }) => {
      window.heardFrom = [];
      addEventListener("message", (event) => window.heardFrom.push(event.origin));
      for (const lie of lies) {
        const src = `${mendUrl}/w/acme` + (lie === null ? "" : `?host=${encodeURIComponent(lie)}`);
        document.body.append(Object.assign(document.createElement("iframe"), { src }));
      }
    },
    { mendUrl: mend.url, lies },
  );
  // Each frame's widget is up, so it would have said ready by now.
  for (let i = 0; i < lies.length; i++) await page.frameLocator("body > iframe").nth(i).getByTestId("widget").waitFor();
  await delay(300);
  assert.deepEqual(await page.evaluate(() => window.heardFrom), [], "no message, not even ready");
  assert.deepEqual(await violations(), []);
  await page.close();
});

/** A new identity key for Acme and a token for customer `sub` signed with it. */
async function identityToken(sub) {
  const { kid, secret } = await admin("POST", "/v1/workspaces/acme/identity-keys");
  return signIdentity({ aud: "acme", sub, exp: Math.floor(Date.now() / 1000) + 600 }, { secret, kid });
}

async function customerTickets(token) {
  const response = await fetch(`${mend.url}/v1/customers/me/tickets`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).tickets.map((ticket) => ticket.id);
}

test("Mend.identify(jwt) identifies the customer's report", async () => {
  const token = await identityToken("c-1");
  const { page, widget } = await visit(shop.page("/identify"));
  await page.evaluate((jwt) => Mend.identify(jwt), token); // before the frame exists: queued
  await widget.open();
  const ticket = await widget.report({ whatHappened: "The sofa legs are missing.", impact: "It sits on the floor." });
  assert.deepEqual(await customerTickets(token), [ticket]);
  await page.close();
});

test("a proactive report for a signed-in customer: emailed at once, shown when the widget opens on its order, in Your reports, and only the customer says it is solved", async () => {
  const token = await identityToken("c-found");
  const address = `fay-${randomBytes(3).toString("hex")}@example.com`;
  const response = await fetch(`${mend.url}/v1/proactive-reports`, {
    method: "POST",
    headers: { Authorization: `Bearer ${mend.repKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      customer_subject: "c-found",
      contact_email: address,
      order_id: "1042",
      what_happened: "Your armchair left our warehouse without its cushions.",
      apology: "We're sorry: we sent it incomplete.",
      update: { text: "New cushions go out today.", next_update_by: inMinutes(24 * 60) },
      make_good: { kind: "credit", value: { currency: "USD", minor_units: 2000 }, note: "For the trouble." },
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const { ticket } = await response.json();
  assert.deepEqual(ticket.events.map((e) => [e.seq, e.by, e.type]), [
    [1, "rep", "reported"],
    [2, "rep", "updated"],
    [3, "rep", "make_good_offered"],
  ]);
  assert.equal(ticket.events[0].apology, "We're sorry: we sent it incomplete.");
  assert.equal(ticket.status, "in_progress");

  // Emailed at once, not after the two minutes news waits for more.
  await until(() => mend.mailbox.messages.some((m) => m.envelope.to === address), { attempts: 200, every: 50, what: "the email" });
  const email = mend.mailbox.messages.find((m) => m.envelope.to === address);
  assert.equal(email.subject, `Acme Furniture found a problem (${ticket.reference}): Your armchair left our warehouse without its cushions.`);
  assert.match(email.text, /Acme Furniture wanted you to hear this from them first:/);
  assert.match(email.text, /Acme Furniture found a problem before you did:\nYour armchair left our warehouse without its cushions\.\nOur apology:\nWe're sorry: we sent it incomplete\./);
  assert.match(email.text, /New cushions go out today\./);
  assert.match(email.text, /would like to make it up to you: \$20 store credit\./);
  assert.match(email.text, new RegExp(`Open your report: ${mend.url}/w/acme#ticket=${ticket.id}&token=mend_ct_`));

  // Signed in on the order's page, the widget opens on what the company told them.
  const { page, widget, violations } = await visit(shop.page("/found"));
  await page.evaluate((jwt) => Mend.identify(jwt), token);
  await widget.launcher.click();
  await widget.byTestId("found-first").waitFor();
  // What the company found, in its words, with its apology for it.
  assert.equal(await widget.text("found-first"), "Your armchair left our warehouse without its cushions.");
  assert.match(await widget.text("apology"), /cushions\.We're sorry: we sent it incomplete\.— Acme Furniture$/);
  assert.equal(await widget.text("reference"), ticket.reference);
  await widget.waitForEntry("New cushions go out today.");
  // And it is among their reports.
  await widget.byTestId("your-reports").click();
  await widget.byTestId("report-item").filter({ hasText: "Your armchair left our warehouse" }).click();
  await widget.byTestId("found-first").waitFor();

  // From here it is an ordinary ticket: the rep proposes, only the customer confirms.
  const refused = await fetch(`${mend.url}/v1/tickets/${ticket.id}/commands`, {
    method: "POST",
    headers: { Authorization: `Bearer ${mend.repKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ type: "confirm_solved" }),
  });
  assert.equal(refused.status, 403);
  await asRep(ticket.id, { type: "propose_resolution", summary: "The cushions were delivered.", prevention: "Every parcel is now weighed before it leaves." });
  await widget.byTestId("confirm-yes").click();
  await widget.byTestId("solved").waitFor();
  const solved = await fetch(`${mend.url}/v1/tickets/${ticket.id}`, { headers: { Authorization: `Bearer ${mend.repKey}` } });
  assert.equal((await solved.json()).status, "solved");
  assert.deepEqual(await violations(), []);
  await page.close();
});

test("data-identity names the page's function that resolves to the customer's token", async () => {
  const token = await identityToken("c-2");
  const path = shop.page("/signed-in", {
    attrs: { identity: "shopIdentity" },
    head: "window.shopIdentity = () => new Promise((resolve) => setTimeout(() => resolve(window.shopToken), 50));",
  });
  const { page, widget, violations } = await visit(path);
  await page.evaluate((jwt) => (window.shopToken = jwt), token);
  await widget.open();
  const ticket = await widget.report({ whatHappened: "The wrong fabric came.", impact: "" });
  assert.deepEqual(await customerTickets(token), [ticket]);
  assert.deepEqual(await violations(), []);
  await page.close();
});
