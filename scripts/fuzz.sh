#!/usr/bin/env bash
# Fuzzes one XML importer with libFuzzer (and AddressSanitizer) for a fixed number of runs, seeded from
# Samples/, the test fixtures and (when present) ../shared/corpus.
#
#   scripts/fuzz.sh registry|pubmed|endnote [RUNS=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz.sh registry|pubmed|endnote [RUNS]}
runs=${2:-1000000}
seeds=$(mktemp -d)
trap 'rm -rf "$seeds" "$seeds.build.log"' EXIT
swift build -c release --scratch-path .build-fuzz --product annals-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DANNALS_FUZZING >"$seeds.build.log" 2>&1 \
  || { echo "fuzz.sh: the fuzzing build failed:" >&2; grep -E "error" "$seeds.build.log" >&2; exit 2; }
case "$target" in
  registry) cp Samples/registry.xml Sources/AnnalsInterchange/Resources/procedures.xml "$seeds/" ;;
  pubmed) cp Samples/pubmed-sample.xml Tests/AnnalsInterchangeTests/Fixtures/pubmed-*.xml "$seeds/"
          [ -d ../shared/corpus/pubmed ] && cp ../shared/corpus/pubmed/*.xml "$seeds/" || true ;;
  endnote) cp Samples/endnote-sample.xml Tests/AnnalsInterchangeTests/Fixtures/endnote-small.xml "$seeds/"
           [ -d ../shared/corpus/endnote ] && cp ../shared/corpus/endnote/*.xml "$seeds/" || true ;;
  *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
mkdir -p ".fuzz/$target"
ANNALS_FUZZ_TARGET=$target .build-fuzz/release/annals-fuzz ".fuzz/$target" "$seeds" \
  -runs="$runs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -n 25
