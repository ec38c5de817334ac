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
export WASM_OPT_BIN="$MEND_ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$MEND_ROOT/node_modules/.bin/esbuild"
export PATH="$MEND_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
