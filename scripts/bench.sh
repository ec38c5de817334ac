#!/usr/bin/env bash
# `make bench`: builds what changed, then measures Mend's speed and weight
# against the built artifacts and the real worker in `wrangler dev`, side by
# side with a peer widget, and prints the table (bench/README.md).
# Benchmarks report; they are not tests and never fail `make test`.
#   scripts/bench.sh [--quick]   (--quick: a few samples of each, to try the harness)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MEND_ROOT"

ensure_chromium "the bench's browser figures"

scripts/build.sh
exec node bench/run.mjs "$@"
