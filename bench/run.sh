#!/usr/bin/env bash
# The odoo-lint benchmark (issue 8): latency of a check against gixy and crossplane, nginx
# parsing throughput against crossplane, fleet scale (1,000 and 10,000 generated stacks) and
# peak memory. Prints a Markdown report and writes it to $BENCH_OUT/results.md.
#
#   bash bench/run.sh            # everything (about ten minutes on two cores)
#   bash bench/run.sh --quick    # fewer runs and a 1,000-stack fleet only: a smoke test
#
# Needs a Rust toolchain and python3 (with venv). gixy-next and crossplane are installed from
# PyPI into a venv under $BENCH_OUT; hyperfine is used when it is on PATH, otherwise the
# latencies are timed by a loop in bench/measure.py. Inputs are generated with fixed seeds
# (bench/fleet.rs), so every machine measures the same bytes. Not run in CI: too slow.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
target="${CARGO_TARGET_DIR:-$repo/target}"
out="${BENCH_OUT:-$target/bench}"
mkdir -p "$out"

echo "== building the release binary and the benchmark helper" >&2
cargo build --release --quiet --bin odoo-lint --example bench
lint="$target/release/odoo-lint"
helper="$target/release/examples/bench"

echo "== the peers: gixy-next and crossplane in $out/venv" >&2
# (a venv moved from elsewhere keeps scripts whose interpreter is gone: made again)
if ! "$out/venv/bin/gixy" --version >/dev/null 2>&1 || ! "$out/venv/bin/crossplane" --version >/dev/null 2>&1; then
    rm -rf "$out/venv"
    python3 -m venv "$out/venv"
    "$out/venv/bin/pip" install --quiet --disable-pip-version-check "gixy-next==0.9.0" "crossplane==0.5.8"
fi

echo "== generating the inputs under $out/data" >&2
data="$out/data"
mkdir -p "$data"
[ -f "$data/typical/odoo.conf" ] || "$helper" typical "$data/typical" >&2
[ -f "$data/big-nginx/nginx.conf" ] || "$helper" nginx "$data/big-nginx" 10000000 >&2
fleets=(1000 10000)
[ "${1:-}" = "--quick" ] && fleets=(1000)
for n in "${fleets[@]}"; do
    [ -f "$data/fleet-$n/odoo-lint.toml" ] || "$helper" fleet "$data/fleet-$n" "$n" >&2
done

exec python3 "$repo/bench/measure.py" --repo "$repo" --lint "$lint" --helper "$helper" --venv "$out/venv" \
    --data "$data" --out "$out/results.md" --fleets "${fleets[@]}" ${1:+"$1"}
