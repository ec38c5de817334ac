// Starts the rep console. A file, not an inline script, so the console's
// CSP (public/_headers) needs no 'unsafe-inline' and no hash.
import init from "/console/pkg/mend_console.js";
init({ module_or_path: "/console/pkg/mend_console_bg.wasm" });
