#!/usr/bin/env bash
# `make bench`: builds what changed, then measures Mend's speed and weight
# against the built artifacts and the real worker in `wrangler dev`, side by
# side with a peer widget, and prints the table (bench/README.md).
# Benchmarks report; they are not tests and never fail `make test`.
#   scripts/bench.sh [--quick]   (--quick: a few samples of each, to try the harness)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MEND_ROOT"

CHROMIUM="${MEND_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser figures…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "make bench needs Chromium at $CHROMIUM: install it (Debian: sudo apt-get install chromium)" >&2
    echo "or set MEND_CHROMIUM to a Chromium binary." >&2
    exit 1
  fi
fi

scripts/build.sh
exec node bench/run.mjs "$@"
