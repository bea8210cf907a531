#!/usr/bin/env bash
# Seeds the fuzzers' corpora (fuzz/corpus/<target>/, not committed) from the real files of
# tests/corpus and from fixtures/, plus the saved crash inputs of fuzz/regressions/.
# The same choice of files, made in Rust, feeds tests/fuzz_replay.rs (odoo_lint::fuzzing::seeds).
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
mkdir -p "$out"

add() { # target file...
  local t=$1; shift
  mkdir -p "$out/$t"
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$out/$t/$(sha1sum "$f" | cut -c1-16)"
  done
}

mapfile -t all < <(find tests/corpus fixtures -type f ! -name '*.md' ! -name '*.tsv' ! -name '*.snap' | sort)
for f in "${all[@]}"; do
  case "$f" in
    tests/corpus/odoo/*|fixtures/parsers/odoo_conf/*|*/odoo.conf|*/odoo-server.conf|*/odoo*.conf) add odoo_conf "$f" ;;&
    tests/corpus/nginx-*|fixtures/parsers/nginx/*|*/nginx/*|*nginx*.conf) add nginx "$f" ;;&
    tests/corpus/postgresql/*|fixtures/parsers/postgresql/*|*postgresql*.conf) add postgresql "$f" ;;&
    *limits*.conf) add limits "$f" ;;&
    *.service|*.service.d/*|*.service.d_*|fixtures/parsers/systemd/*|*/systemd/*) add systemd "$f" ;;&
    *.yml|*.yaml) add compose "$f" ;;&
    */.env|*.env|*/env-file/*|*/dotenv/*) add dotenv "$f" ;;&
    *) : ;;
  esac
done

# pipeline: every fixture directory that holds files, as one input (files separated by the
# byte 0x1E, each one's first line its path relative to the directory), at most 8 files.
mkdir -p "$out/pipeline"
while IFS= read -r dir; do
  mapfile -t files < <(cd "$dir" && find . -type f ! -name '*.snap' ! -name '*.md' | sed 's|^\./||' | sort | head -8)
  [ "${#files[@]}" -gt 0 ] || continue
  tmp=$(mktemp)
  first=1
  for rel in "${files[@]}"; do
    [ $first = 1 ] || printf '\x1e' >>"$tmp"
    first=0
    printf '%s\n' "$rel" >>"$tmp"
    cat "$dir/$rel" >>"$tmp"
  done
  mv "$tmp" "$out/pipeline/$(sha1sum "$tmp" | cut -c1-16)"
done < <(find fixtures/rules -mindepth 2 -maxdepth 2 -type d; find fixtures/stacks fixtures/cli fixtures/demo fixtures/server -maxdepth 2 -type d)

# saved crash inputs
if [ -d fuzz/regressions ]; then
  for d in fuzz/regressions/*/; do
    t=$(basename "$d")
    add "$t" "$d"*
  done
fi
for t in "$out"/*/; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
