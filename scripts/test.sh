#!/usr/bin/env bash
# Every Mend test: the workspace's cargo tests, then the HTTP and browser
# tests against the real built worker in `wrangler dev` and real Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MEND_ROOT"

CHROMIUM="${MEND_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "The browser tests need Chromium at $CHROMIUM: install it (Debian: sudo apt-get install chromium)" >&2
    echo "or set MEND_CHROMIUM to a Chromium binary." >&2
    exit 1
  fi
fi

cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p mend-app -p mend-worker --target wasm32-unknown-unknown -- -D warnings
cargo test --workspace
node --test --test-concurrency=1 'tests/*.test.mjs'
