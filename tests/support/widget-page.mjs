// Page object for the Mend widget as a customer meets it: a launcher on the
// company's page, and the frame it opens. Selects only by data-testid.
import { chromium } from "playwright-core";

/** The Chromium Mend's tests and bench drive (scripts/env.sh `ensure_chromium`). */
export const CHROMIUM = process.env.MEND_CHROMIUM || "/usr/bin/chromium";
/** Headless, without the background traffic that would blur what is measured or tested. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches headless Chromium (Playwright gives it a fresh temporary profile)
 * with no background traffic. `newPage()` opens a page in a context of its
 * own, like a customer on another device: no storage is shared.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    async newPage() {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on("close", () => context.close().catch(() => {})); // the browser may be closing too
      return page;
    },
    close: () => browser.close(),
  };
}

/** The host page with the widget on it. */
export function hostPage(mendUrl) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Order #1042 — Acme Furniture</title></head>
<body><h1>Order #1042 — sofa, armchair, coffee table</h1>
<script src="${mendUrl}/widget.js" data-workspace="acme" data-order-id="1042" async></script>
</body></html>`;
}

/**
 * `at` (an RFC 3339 time) as the widget says a near time to the customer,
 * worked out in `page` with the browser's own Intl: "14:00 today",
 * "tomorrow, 09:30", else "Mon, Dec 7, 11:00 AM".
 */
export function nearTime(page, at) {
  return page.evaluate((at) => {
    const due = new Date(at);
    const [today, tomorrow] = [new Date(), new Date()];
    tomorrow.setDate(today.getDate() + 1);
    const time = due.toLocaleTimeString("en", { hour: "2-digit", minute: "2-digit" });
    if (due.toDateString() === today.toDateString()) return `${time} today`;
    if (due.toDateString() === tomorrow.toDateString()) return `tomorrow, ${time}`;
    return due.toLocaleString("en", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }, at);
}

/** A fresh customer (a browser context of their own) with the widget open on the company's page at `hostUrl`. */
export async function openWidget(browser, hostUrl) {
  const widget = new WidgetPage(await browser.newPage());
  await widget.goto(hostUrl);
  await widget.open();
  return widget;
}

export class WidgetPage {
  constructor(page) {
    this.page = page;
    this.launcher = page.getByTestId("mend-launcher");
    this.frame = page.frameLocator("iframe");
  }

  byTestId(id) {
    return this.frame.getByTestId(id);
  }

  async goto(url) {
    await this.page.goto(url);
    await this.launcher.waitFor();
  }

  async open() {
    await this.launcher.click();
    await this.byTestId("report-form").waitFor();
  }

  async report({ whatHappened, impact }) {
    await this.byTestId("what-happened").fill(whatHappened);
    await this.byTestId("impact").fill(impact);
    await this.byTestId("send-report").click();
    await this.byTestId("apology").waitFor();
    return this.ticketId();
  }

  /** The id of the ticket shown (its reference is what the customer reads: `text("reference")`). */
  async ticketId() {
    return this.byTestId("ticket").getAttribute("data-ticket");
  }

  /** Waits until the timeline shows an entry containing `text`. */
  async waitForEntry(text) {
    await this.byTestId("timeline").getByTestId("event").filter({ hasText: text }).waitFor();
  }

  async text(id) {
    return (await this.byTestId(id).textContent()).trim();
  }
}
