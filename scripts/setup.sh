#!/usr/bin/env bash
# Installs what Mend needs, once: the wasm target, the pinned wasm-bindgen
# CLI, wasm-split and worker-build (into a per-user cache keyed by version), and the npm
# packages from the lock file (Node 22, wrangler, binaryen, playwright-core).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MEND_ROOT"

command -v cargo >/dev/null || { echo "Mend needs Rust: install it with rustup (https://rustup.rs)." >&2; exit 1; }
command -v npm >/dev/null || { echo "Mend needs Node.js and npm (any version; Node 22 comes from the lock file)." >&2; exit 1; }

# The toolchain rust-toolchain.toml names, with its wasm target and components
# (explicitly: rustup may be told not to install toolchains on its own).
rustup toolchain install >/dev/null
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

if [ ! -x "$WASM_BINDGEN_BIN" ]; then
  echo "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into $MEND_TOOLS (once, ~3 minutes)…"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$MEND_TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION"
fi
if [ ! -x "$WASM_SPLIT_BIN" ]; then
  echo "Installing wasm-split $WASM_SPLIT_VERSION into $MEND_TOOLS (once, ~2 minutes)…"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --root "$MEND_TOOLS/wasm-split-$WASM_SPLIT_VERSION"
fi
if [ ! -x "$WORKER_BUILD_BIN" ]; then
  echo "Installing worker-build $WORKER_BUILD_VERSION into $MEND_TOOLS (once, 3 to 13 minutes)…"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --root "$MEND_TOOLS/worker-build-$WORKER_BUILD_VERSION"
fi

# Install from the lock file, only when it changed since the last install.
# Not `npm ci`: npm leaves other platforms' optional workerd binaries out of
# the lock file and `npm ci` then refuses it as out of sync; `npm install`
# installs the locked versions and leaves the lock file as it is.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
