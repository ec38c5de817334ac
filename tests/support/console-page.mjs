// Page object for the rep console at /console/, as a rep or manager meets
// it. Selects only by data-testid (and by visible text within an element).

export class ConsolePage {
  constructor(page, mendUrl) {
    this.page = page;
    this.url = `${mendUrl}/console/`;
  }

  byTestId(id) {
    return this.page.getByTestId(id);
  }

  async goto() {
    await this.page.goto(this.url);
  }

  /** Signs in with `key` and waits for the queue. */
  async signIn(key) {
    await this.goto();
    await this.byTestId("key").fill(key);
    await this.byTestId("sign-in-submit").click();
    await this.byTestId("signed-in-as").waitFor();
    await this.page.locator("#queue-title").waitFor();
  }

  async signOut() {
    await this.byTestId("sign-out").click();
    await this.byTestId("sign-in").waitFor();
  }

  /** Waits until the queue's live socket is open, as the bar shows it ("Live"). */
  async live() {
    await this.page.locator('[data-testid="connection"][data-state="live"]').waitFor();
  }

  /** The queue item of ticket `id`. */
  queueItem(id) {
    return this.page.locator(`[data-testid="queue-item"][data-ticket="${id}"]`);
  }

  /** The ticket ids in the queue, in the order shown. */
  async queueOrder() {
    return this.page.locator('[data-testid="queue-item"]').evaluateAll((items) => items.map((item) => item.dataset.ticket));
  }

  /** Opens ticket `id` from the queue, waiting until it appears there. */
  async openTicket(id) {
    await this.byTestId("nav-queue").click();
    await this.queueItem(id).getByTestId("open-ticket").click();
    await this.page.locator(`[data-testid="ticket"][data-ticket="${id}"] [data-testid="ticket-status"]`).waitFor();
  }

  /**
   * Chooses `act` in the ticket's composer (`update`, `ask`, `propose`,
   * `make-good`, `escalate`, `hand-over`), which offers only what the core
   * allows this rep now, and waits for its form.
   */
  async compose(act) {
    await this.byTestId(`act-${act}`).click();
    await this.page.locator(`#act-${act}-panel:not([hidden])`).waitFor();
  }

  /** Waits until the timeline shows an entry containing `text`. */
  async waitForEntry(text) {
    await this.byTestId("timeline").getByTestId("event").filter({ hasText: text }).waitFor();
  }

  async text(id) {
    return (await this.byTestId(id).textContent()).trim();
  }
}
