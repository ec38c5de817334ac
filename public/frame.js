// Boots the widget's wasm inside the Mend frame (an external module, so the
// frame's Content-Security-Policy needs no 'unsafe-inline').
import init from "/app/mend_app.js";

init({ module_or_path: "/app/mend_app_bg.wasm" });
