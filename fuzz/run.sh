#!/usr/bin/env bash
# Runs every fuzz target of ingest for a bounded time: fuzz/run.sh SECONDS (default 30).
# Skips (exit 0) with a message when cargo-fuzz or a nightly-capable toolchain is missing.
set -euo pipefail
seconds="${1:-30}"
cd "$(dirname "$0")"
if ! cargo fuzz --help >/dev/null 2>&1; then
    echo "SKIPPED: cargo-fuzz is not installed (cargo install cargo-fuzz)"
    exit 0
fi
# cargo-fuzz needs nightly flags (-Z sanitizer); use a nightly toolchain when there is one,
# else let stable accept them.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=(+nightly)
else
    toolchain=()
    export RUSTC_BOOTSTRAP=1
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
for target in html feed warc; do
    echo "== fuzz $target for ${seconds}s"
    mkdir -p "corpus/$target"
    cargo "${toolchain[@]}" fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144
done
echo "fuzz: all targets ran ${seconds}s without a crash"
