#!/usr/bin/env bash
# The fuzz stage of CI (`.ci/run`): builds every target with libFuzzer's coverage
# instrumentation and runs each one briefly from the seeds, within a time budget.
#
#   bash fuzz/ci.sh SECONDS
#
# The build uses the stable toolchain with the flags `cargo fuzz build -s none -O` passes
# (no sanitizer needs no nightly), into $CARGO_TARGET_DIR/fuzz (target/fuzz by default).
# Each target runs a fixed number of inputs from a fixed seed (see `runs`). Exits 1 when a
# target crashes (the input is kept under fuzz/artifacts/<target>/ and shown);
# 0 when every target ran, or when the budget ran out first: then the stage says it was cut
# short, and the tests have already replayed every seed and saved crash through the same code.
set -uo pipefail
cd "$(dirname "$0")/.."

budget=${1:?usage: fuzz/ci.sh SECONDS}
deadline=$((SECONDS + budget))
left() { echo $((deadline - SECONDS)); }
targets=(odoo_conf nginx postgresql limits systemd compose dotenv pipeline)
# Runs per target from a fixed seed: libFuzzer then tries the same inputs on every run of the
# same build, so CI fails for a change to the code, never for a lucky draw (about 20 seconds
# each on the reference machine; the time cap below only ever cuts the same sequence short).
declare -A runs=([odoo_conf]=40000 [nginx]=20000 [postgresql]=10000 [limits]=30000 [systemd]=150000
    [compose]=25000 [dotenv]=400000 [pipeline]=3000)

# the instrumented build of the library and the eight targets takes about four minutes on two
# cores; below that there is no point in starting
if [ "$(left)" -lt 300 ]; then
    echo "fuzz: ${budget}s left of the CI budget, not enough to build the targets; skipped"
    exit 0
fi

target_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
triple=$(rustc -vV | sed -n 's/^host: //p')
flags=(
    -Cpasses=sancov-module
    -Cllvm-args=-sanitizer-coverage-level=4
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
    -Cllvm-args=-sanitizer-coverage-pc-table
    -Cllvm-args=-sanitizer-coverage-trace-compares
    --cfg fuzzing
    -Cdebug-assertions
    -Coverflow-checks
)
echo "fuzz: building the targets (instrumented, release) into $target_dir"
# `--target`: the flags reach the targets only, not build scripts
if ! CARGO_TARGET_DIR="$target_dir" RUSTFLAGS="${flags[*]}" timeout "$(($(left) - 60))" \
    cargo build --release --locked --quiet --target "$triple" --manifest-path fuzz/Cargo.toml --bins; then
    if [ "$(left)" -le 60 ]; then
        echo "fuzz: the build did not finish within the CI budget; skipped"
        exit 0
    fi
    echo "fuzz: the targets do not build" >&2
    exit 1
fi

bash fuzz/seed.sh >/dev/null
per=$((($(left) - 20) / ${#targets[@]}))
[ "$per" -gt 30 ] && per=30
if [ "$per" -lt 5 ]; then
    echo "fuzz: ${per}s a target left after the build; skipped"
    exit 0
fi
failed=0
for t in "${targets[@]}"; do
    mkdir -p "fuzz/artifacts/$t"
    log=$(mktemp)
    "$target_dir/$triple/release/$t" "fuzz/corpus/$t" -seed=1 -runs="${runs[$t]}" -max_total_time="$per" \
        -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1
    rc=$?
    done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [ "$rc" -eq 0 ]; then
        echo "fuzz: $t: ${done_runs:-?} runs (seed 1, at most ${runs[$t]} or ${per}s), no crash"
    else
        failed=1
        echo "fuzz: $t CRASHED (exit $rc); its output ends:" >&2
        tail -40 "$log" >&2
        for a in "fuzz/artifacts/$t"/*; do
            [ -f "$a" ] || continue
            echo "fuzz: input $a (base64; keep it as fuzz/regressions/$t/<what-it-was>):" >&2
            base64 "$a" >&2
        done
    fi
    rm -f "$log"
done
exit "$failed"
