// Mend's local inbox: a recording mail server for development and tests,
// never for production. The worker hands it every email it sends when
// `MAIL_RELAY_URL` points here (POST /messages, the whole RFC 5322 message);
// it parses each with mailparser, an independent MIME parser, keeps it in
// memory and shows it:
//
//   GET  /                    the inbox, newest first, for a person in a browser
//   GET  /messages/{n}        one email: its headers, its HTML part (sandboxed) and its text part
//   GET  /api/messages        every email, parsed, as JSON (the tests read this)
//   POST /api/fail {"next": N} the next N messages are refused with 503, as a down mail service would
//
// `node scripts/mailbox.mjs [--port N]` prints its address as its first line.
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { simpleParser } from "mailparser";

/** Starts the inbox on 127.0.0.1:`port` (0: any free port); resolves to `{ url, messages, close }`. */
export async function startMailbox({ port = 0 } = {}) {
  const messages = [];
  let failNext = 0;
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://mailbox");
      if (req.method === "POST" && url.pathname === "/messages") {
        const raw = await body(req);
        if (failNext > 0) {
          failNext--;
          return send(res, 503, "text/plain", "The local inbox was told to refuse this message (POST /api/fail).");
        }
        const parsed = await simpleParser(raw);
        messages.push({
          n: messages.length + 1,
          receivedAt: new Date().toISOString(),
          envelope: { from: req.headers["mend-mail-from"], to: req.headers["mend-mail-to"] },
          raw: raw.toString("utf8"),
          subject: parsed.subject,
          from: parsed.from?.value ?? [],
          to: parsed.to?.value ?? [],
          messageId: parsed.messageId,
          inReplyTo: parsed.inReplyTo,
          references: parsed.references,
          // Each header as it was written (unfolded), by its lower-case name.
          headers: Object.fromEntries(parsed.headerLines.map(({ key, line }) => [key, line.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim()])),
          text: parsed.text,
          html: parsed.html,
        });
        return send(res, 202, "application/json", JSON.stringify({ n: messages.length }));
      }
      if (req.method === "GET" && url.pathname === "/api/messages") {
        return send(res, 200, "application/json", JSON.stringify(messages));
      }
      if (req.method === "POST" && url.pathname === "/api/fail") {
        failNext = Number(JSON.parse((await body(req)).toString() || "{}").next ?? 1);
        return send(res, 200, "application/json", JSON.stringify({ failNext }));
      }
      if (req.method === "GET" && url.pathname === "/") return send(res, 200, "text/html; charset=utf-8", inbox(messages));
      const one = url.pathname.match(/^\/messages\/(\d+)$/);
      if (req.method === "GET" && one && messages[one[1] - 1]) {
        return send(res, 200, "text/html; charset=utf-8", page(messages[one[1] - 1]));
      }
      send(res, 404, "text/plain", "Nothing here.");
    } catch (err) {
      send(res, 500, "text/plain", String(err?.stack ?? err));
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, messages, close: () => new Promise((resolve) => server.close(resolve)) };
}

function body(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res, status, type, text) {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(text);
}

const escape = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const addresses = (list) => list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(", ");

function inbox(messages) {
  const rows = [...messages]
    .reverse()
    .map((m) => `<li><a href="/messages/${m.n}">${escape(m.subject)}</a> — to ${escape(addresses(m.to))}, ${escape(m.receivedAt)}</li>`)
    .join("\n");
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Mend: local inbox</title>
<h1>Mend's local inbox</h1><p>Every email Mend sent while running locally (kept until the inbox stops).</p>
${messages.length ? `<ol reversed>${rows}</ol>` : "<p>No email yet.</p>"}`;
}

function page(m) {
  const headers = Object.entries(m.headers).map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join("");
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(m.subject)}</title>
<p><a href="/">← Inbox</a></p><h1>${escape(m.subject)}</h1>
<h2>HTML part</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="${escape(m.html)}" style="width:100%;height:32rem;border:1px solid #ccc"></iframe>
<h2>Text part</h2><pre>${escape(m.text)}</pre>
<h2>Headers</h2><table>${headers}</table>`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--port");
  const mailbox = await startMailbox({ port: at > 0 ? Number(process.argv[at + 1]) : 0 });
  console.log(mailbox.url);
}
