// The peer for `make bench`'s side-by-side figures: Sentry's user-feedback
// widget, set up the way Sentry documents for the smallest bundle (a
// BrowserClient with only the feedback integration, no default
// integrations, tracing code dropped at build time), so the comparison
// gives the peer its best case. The DSN comes from the script tag, as Mend's
// workspace does: <script src=".../sentry-feedback.js" data-dsn="http://public@127.0.0.1:PORT/1">.
import { BrowserClient, defaultStackParser, feedbackIntegration, getCurrentScope, makeFetchTransport } from "@sentry/browser";

const dsn = document.currentScript?.dataset.dsn;
const client = new BrowserClient({
  dsn,
  transport: makeFetchTransport,
  stackParser: defaultStackParser,
  integrations: [feedbackIntegration({ colorScheme: "system" })],
});
getCurrentScope().setClient(client);
client.init();
