#!/usr/bin/env bash
# Installs what Mend needs, once: the wasm target, the pinned wasm-bindgen
# CLI, wasm-split and worker-build (into a per-user cache keyed by version),
# Schemathesis (in a venv there, keyed by its pinned requirements), and the
# npm packages from the lock file (Node 22, wrangler, binaryen, playwright-core).
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

if [ ! -f "$SCHEMATHESIS_VENV/.installed" ]; then
  # Python 3 with venv: Debian splits venv out of python3, so bring both when either is missing.
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing Debian's python3 and python3-venv for Schemathesis…"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
    else
      echo "Mend's API tests need Python 3 with venv (Debian: sudo apt-get install python3 python3-venv)." >&2
      exit 1
    fi
  fi
  echo "Installing Schemathesis into $SCHEMATHESIS_VENV (once, ~1 minute)…"
  # A venv cannot be moved, so it is made in place; the marker says it finished.
  rm -rf "$SCHEMATHESIS_VENV"
  python3 -m venv "$SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$SCHEMATHESIS_REQUIREMENTS"
  touch "$SCHEMATHESIS_VENV/.installed"
fi

# Install exactly the lock file, only when it changed since the last install.
# The lock file is complete (every platform's optional workerd binary is in
# it), so `npm ci` takes it as it is and never rewrites it.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
