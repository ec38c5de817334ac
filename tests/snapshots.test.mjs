// Each of the widget's views at a phone's size (375×667), compared with a
// snapshot that was checked by eye once and kept in tests/snapshots/. What
// differs from run to run (the ticket's reference, and the first answer's
// time, which follows the clock and the opening hours) is masked. To accept a
// deliberate change, run with MEND_UPDATE_SNAPSHOTS=1, look at the new
// images, and commit them.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { command, startMend } from "./support/mend.mjs";
import { launchBrowser } from "./support/widget-page.mjs";

const dir = new URL("./snapshots/", import.meta.url).pathname;
const update = process.env.MEND_UPDATE_SNAPSHOTS === "1";
/** The share of pixels that may differ (anti-aliasing), not a layout change. */
const TOLERANCE = 0.002;

let mend;
let browser;
before(async () => {
  mend = await startMend();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mend?.stop();
});

const asRep = (ticket, body) => command(mend, ticket, body);

async function matches(page, name) {
  await page.evaluate(() => document.fonts.ready);
  const mask = [page.locator(".reference"), page.getByTestId("live-status"), page.getByTestId("promise")];
  // The first answer's time is as long as the day makes it ("10:00 today",
  // "Mon, Dec 7, 10:00 AM"): held to one line, so the layout below stays put.
  const style = "[data-testid=promise] { white-space: nowrap; overflow: hidden; }";
  const actual = await page.screenshot({ mask, animations: "disabled", style });
  const file = `${dir}${name}.png`;
  if (update || !existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, actual);
    assert.ok(update, `no snapshot ${name}.png yet: one was written; check it by eye and commit it`);
    return;
  }
  const [a, b] = [PNG.sync.read(actual), PNG.sync.read(readFileSync(file))];
  assert.deepEqual([a.width, a.height], [b.width, b.height], `${name}: the view's size changed`);
  const differing = pixelmatch(a.data, b.data, null, a.width, a.height, { threshold: 0.1 });
  const share = differing / (a.width * a.height);
  if (share > TOLERANCE) writeFileSync(`${dir}${name}.actual.png`, actual);
  assert.ok(share <= TOLERANCE, `${name}: ${(share * 100).toFixed(2)}% of pixels differ (see ${name}.actual.png)`);
}

test("every view at 375×667 looks as it was checked", async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 375, height: 667 });
  await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
  await page.goto(`${mend.url}/w/acme?order=1042`);
  await page.getByTestId("report-form").waitFor();
  await matches(page, "report-form");

  await page.getByTestId("what-happened").fill("The armchair was not in the delivery.");
  await page.getByTestId("send-report").click();
  await page.getByTestId("ticket").waitFor();
  const ticket = (await page.getByTestId("reference").textContent()).trim();
  await matches(page, "ticket");

  await asRep(ticket, { type: "offer_make_good", kind: "credit", value: { currency: "USD", minor_units: 2000 }, note: "For the wait." });
  await page.getByTestId("make-good").waitFor();
  await page.getByTestId("make-good").scrollIntoViewIfNeeded();
  await matches(page, "make-good");

  await page.getByTestId("accept-make-good").click();
  await asRep(ticket, { type: "propose_resolution", summary: "Your armchair was delivered this morning.", prevention: "Every order is now checked item by item before the van leaves." });
  await page.getByTestId("solved-question").waitFor();
  await page.getByTestId("solved-question").scrollIntoViewIfNeeded();
  await matches(page, "solved-question");

  await page.getByTestId("confirm-yes").click();
  await page.getByTestId("rating").waitFor();
  await page.getByTestId("rating").scrollIntoViewIfNeeded();
  await matches(page, "rating");

  await page.getByTestId("your-reports").click();
  await page.getByTestId("reports").waitFor();
  await matches(page, "your-reports");

  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByTestId("new-report").click();
  await page.getByTestId("report-form").waitFor();
  await matches(page, "report-form-dark");
  await page.close();
});
