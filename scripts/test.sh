#!/usr/bin/env bash
# Every Mend test: the workspace's cargo tests, then the HTTP and browser
# tests against the real built worker in `wrangler dev` and real Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MEND_ROOT"

ensure_chromium "the browser tests"

cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p mend-client -p mend-app -p mend-console -p mend-worker --target wasm32-unknown-unknown -- -D warnings
cargo test --workspace
node --test --test-concurrency=1 'tests/*.test.mjs'
