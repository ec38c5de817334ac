# Sourced by Mend's scripts: where the pinned tools live, and a PATH that
# puts the project's Node 22, wrangler, wasm-opt and esbuild first.
MEND_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN_VERSION=0.2.130
WORKER_BUILD_VERSION=0.8.7
WASM_SPLIT_VERSION=0.2.4
MEND_TOOLS="${MEND_TOOLS:-$HOME/.cache/mend/tools}"
export WASM_BINDGEN_BIN="$MEND_TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION/bin/wasm-bindgen"
export WORKER_BUILD_BIN="$MEND_TOOLS/worker-build-$WORKER_BUILD_VERSION/bin/worker-build"
export WASM_SPLIT_BIN="$MEND_TOOLS/wasm-split-$WASM_SPLIT_VERSION/bin/wasm-split-cli"
# Schemathesis lives in a venv keyed by its pinned requirements, so a change to them makes a new one.
SCHEMATHESIS_REQUIREMENTS="$MEND_ROOT/tests/schemathesis/requirements.txt"
SCHEMATHESIS_VENV="$MEND_TOOLS/schemathesis-$(sha256sum "$SCHEMATHESIS_REQUIREMENTS" | cut -c1-16)"
export SCHEMATHESIS_BIN="$SCHEMATHESIS_VENV/bin/schemathesis"
export WASM_OPT_BIN="$MEND_ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$MEND_ROOT/node_modules/.bin/esbuild"
export PATH="$MEND_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

# Makes sure headless Chromium is there for `$1` (the browser tests, the
# bench): Debian's package when missing and run as root, else a clear error.
ensure_chromium() {
  CHROMIUM="${MEND_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$CHROMIUM" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for $1…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "$1 need Chromium at $CHROMIUM: install it (Debian: sudo apt-get install chromium)" >&2
    echo "or set MEND_CHROMIUM to a Chromium binary." >&2
    exit 1
  fi
}
