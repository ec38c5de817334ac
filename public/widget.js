/* Mend loader: a launcher button that opens the Mend widget frame on intent.
   No request, cookie or storage before the customer touches the launcher. */
(() => {
  const me = document.currentScript;
  if (!me || window.Mend) return;
  const origin = new URL(me.src).origin;
  const data = me.dataset;
  const host = document.createElement("div");
  const root = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(
    ":host{all:initial}button{position:fixed;bottom:20px;right:20px;z-index:2147483647;font:600 16px system-ui,sans-serif;padding:12px 18px;border:0;border-radius:24px;background:" +
      (data.color || "#1d4ed8") +
      ";color:#fff;cursor:pointer;box-shadow:0 2px 8px #0004}button:focus-visible{outline:3px solid #fbbf24;outline-offset:2px}" +
      "iframe{position:fixed;bottom:80px;right:20px;z-index:2147483646;width:380px;height:min(600px,calc(100dvh - 100px));border:0;border-radius:12px;background:#fff;box-shadow:0 8px 32px #0005}" +
      "@media(max-width:480px){iframe{inset:0;width:100%;height:100dvh;border-radius:0}}[hidden]{display:none}"
  );
  root.adoptedStyleSheets = [sheet];
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Report a problem";
  button.setAttribute("aria-expanded", "false");
  button.dataset.testid = "mend-launcher";
  root.append(button);
  let frame;
  const open = () => {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = "Report a problem";
      const url = new URL("/w/" + encodeURIComponent(data.workspace || ""), origin);
      if (data.orderId) url.searchParams.set("order", data.orderId);
      frame.src = url;
      root.append(frame);
    }
    frame.hidden = false;
    button.textContent = "Close";
    button.setAttribute("aria-expanded", "true");
  };
  const close = () => {
    if (frame) frame.hidden = true;
    button.textContent = "Report a problem";
    button.setAttribute("aria-expanded", "false");
  };
  button.onclick = () => (frame && !frame.hidden ? close() : open());
  window.Mend = { open, close };
  // An async script in <head> can run before <body> exists.
  const mount = () => document.body.append(host);
  document.body ? mount() : document.addEventListener("DOMContentLoaded", mount);
})();
