#!/usr/bin/env bash
# Builds the widget (public/app/), the rep console (public/console/pkg/) and
# the worker (worker/build/), each only when a source it depends on is newer
# than its output.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MEND_ROOT"

# True when $1 is missing or any of the remaining paths holds a newer file.
stale() {
  local output=$1; shift
  [ ! -e "$output" ] && return 0
  [ -n "$(find "$@" -newer "$output" -type f -print -quit 2>/dev/null)" ]
}

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WASM_FEATURES="--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue --enable-mutable-globals"

BUILD_INPUTS="core Cargo.toml Cargo.lock rust-toolchain.toml scripts/env.sh scripts/build.sh"

# The apps name a dependency's file as `tachys-0.2.19/src/…` (in a panic's
# location), not by where this machine keeps the registry: the same bytes
# from every machine, and no local path in what customers download.
APP_RUSTFLAGS=""
for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  APP_RUSTFLAGS+=" --remap-path-prefix=$registry="
done

if stale public/app/mend_app_bg.wasm app client $BUILD_INPUTS; then
  echo "Building the widget…"
  # Linked with its relocations, so wasm-split can move each `#[lazy]` view
  # (app/src/widget.rs) into a module of its own, fetched when it first shows.
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$APP_RUSTFLAGS" cargo rustc --release --target wasm32-unknown-unknown -p mend-app --bin mend-app -- -C link-arg=--emit-relocs
  # Built aside and moved in whole, so a failed step never leaves a half-built widget that looks fresh.
  rm -rf public/app.next
  "$WASM_SPLIT_BIN" --target web --out-name mend_app "$TARGET_DIR/wasm32-unknown-unknown/release/mend-app.wasm" public/app.next
  "$WASM_BINDGEN_BIN" --target web --no-typescript --keep-lld-exports --out-name mend_app --out-dir public/app.next public/app.next/mend_app.wasm
  rm public/app.next/mend_app.wasm
  for wasm in public/app.next/*.wasm; do wasm-opt -Oz --converge $WASM_FEATURES "$wasm" -o "$wasm"; done
  # One script for the first open: the split modules' loader folded into the
  # glue (they import each other), minified.
  node_modules/.bin/esbuild public/app.next/mend_app.js --bundle --format=esm --minify --log-level=warning --log-override:duplicate-object-key=silent --outfile=public/app.next/mend_app.js --allow-overwrite
  rm public/app.next/__wasm_split.js
  rm -rf public/app && mv public/app.next public/app
fi

if stale public/console/pkg/mend_console_bg.wasm console client $BUILD_INPUTS; then
  echo "Building the console…"
  # A bundle of its own beside the widget's; no wasm-split: reps load it once a day.
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$APP_RUSTFLAGS" cargo build --release --target wasm32-unknown-unknown -p mend-console
  rm -rf public/console/pkg.next
  "$WASM_BINDGEN_BIN" --target web --no-typescript --out-name mend_console --out-dir public/console/pkg.next "$TARGET_DIR/wasm32-unknown-unknown/release/mend-console.wasm"
  wasm-opt -Oz $WASM_FEATURES public/console/pkg.next/mend_console_bg.wasm -o public/console/pkg.next/mend_console_bg.wasm
  rm -rf public/console/pkg && mv public/console/pkg.next public/console/pkg
fi

if stale worker/build/index.js worker/src worker/templates worker/Cargo.toml $BUILD_INPUTS; then
  echo "Building the worker…"
  (cd worker && "$WORKER_BUILD_BIN" --release)
fi
