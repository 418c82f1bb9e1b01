#!/usr/bin/env bash
# Fuzzes one importer or parser with libFuzzer and AddressSanitizer (leak checking included) for a fixed
# number of executions, seeded from Samples/, the test fixtures and (when present) ../shared/corpus:
# for the XML importers whole files, every record as a small document of its own, and small hostile
# documents; for xlsx the workbooks of the tests, the templates and exports Annals writes and hostile
# workbooks, each also as a list of parts; for values tally CSVs, forms and words (scripts/fuzz-seeds.py).
# Results and docs: docs/fuzzing.md.
#
#   scripts/fuzz.sh registry|pubmed|endnote|cerif|xlsx|values [RUNS=1000000] [more libFuzzer options, e.g. -max_total_time=3600]
#
# The build goes to .build-fuzz, the growing corpus to .fuzz/TARGET/corpus, crashers, leaks and
# timeouts to .fuzz/TARGET/ (crash-*, leak-*, timeout-*), the whole log to .fuzz/TARGET/run-*.log.
# Exit status: 0 when the runs found nothing, libFuzzer's non-zero status on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz.sh registry|pubmed|endnote|cerif|xlsx|values [RUNS] [libFuzzer options]}
runs=${2:-1000000}
shift $(( $# >= 2 ? 2 : 1 ))
case "$target" in registry|pubmed|endnote|cerif|xlsx|values) ;; *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;; esac

out=".fuzz/$target"
mkdir -p "$out/corpus" "$out/seeds"
build_log="$out/build.log"
swift build -c release --scratch-path .build-fuzz --product annals-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DANNALS_FUZZING >"$build_log" 2>&1 \
  || { echo "fuzz.sh: the fuzzing build failed (see $build_log):" >&2; grep -E "error" "$build_log" >&2; exit 2; }
# The importers' temporary files (an .xlsx's extracted parts, a form's intermediate files) in memory when
# the machine has /dev/shm, and in a folder of this run's own, removed at the end.
tmp_parent=/dev/shm; [ -d "$tmp_parent" ] && [ -w "$tmp_parent" ] || tmp_parent=${TMPDIR:-/tmp}
export TMPDIR; TMPDIR=$(mktemp -d "$tmp_parent/annals-fuzz-tmp.XXXXXX")
trap 'rm -rf "$TMPDIR"' EXIT
seed_options=()
if [ "$target" = xlsx ] || [ "$target" = values ]; then
  # Seeds only Annals can write: the workbooks it writes (templates, exports of the sample registry) for
  # xlsx, forms filled with the sample registry's records for values.
  rm -rf "$out/written"
  ANNALS_FUZZ_TARGET=$target ANNALS_FUZZ_WRITE_SEEDS="$out/written" .build-fuzz/release/annals-fuzz -runs=0 \
    >"$out/written.log" 2>&1 || { echo "fuzz.sh: writing the $target seeds failed (see $out/written.log)" >&2; exit 2; }
  seed_options=(--written "$out/written")
fi
python3 scripts/fuzz-seeds.py "$target" "$out/seeds" --max-len 65536 "${seed_options[@]}"

log="$out/run-$(date -u +%Y%m%d-%H%M%S).log"
echo "fuzz.sh: $target, $runs runs; log: $log"
status=0
# libxml2 leaks nothing per input once files are read well-formed first (see docs/fuzzing.md), so the
# XML importers need no leak suppression: leak checking stays on for every input. The one suppression
# (scripts/fuzz-lsan.supp) is ZIPFoundation's leak of the archive's path, once per workbook opened.
LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$PWD/scripts/fuzz-lsan.supp \
ANNALS_FUZZ_TARGET=$target .build-fuzz/release/annals-fuzz "$out/corpus" "$out/seeds" \
  -runs="$runs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/" \
  -print_final_stats=1 "$@" >"$log" 2>&1 || status=$?
grep -v -E "^#[0-9]+\s+(REDUCE|NEW)" "$log" | tail -n 25
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: $target FOUND A PROBLEM (exit $status); the input is in $out/ (crash-*, leak-*, timeout-*, oom-*)" >&2
fi
exit "$status"
