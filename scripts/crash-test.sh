#!/usr/bin/env bash
# Kill -9 at random moments during a large PubMed import, N times (default 50). After every kill the
# registry must open, pass `annals check` (PRAGMA integrity_check and the registry's own rules), and
# hold either none or all of the interrupted file's articles. Also checks that readers running during
# an import never fail with "database is locked", and that two imports at once both complete.
#
#   scripts/crash-test.sh [ROUNDS]        (needs sqlite3 and python3; the articles come from ../shared/corpus/pubmed
#                                          when it is beside the repository, else from the repository's own files)
#
# Exit status 0 only when every check passed; 1 when any check failed; 2 when it could not run at all.
# .ci/run runs it after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'echo "crash-test: FAILED: command at line $LINENO exited with status $?" >&2' ERR

command -v sqlite3 >/dev/null || { echo "crash-test: needs sqlite3 (apt-get install -y sqlite3)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "crash-test: needs python3" >&2; exit 2; }
corpus=../shared/corpus/pubmed
if [ ! -d "$corpus" ]; then
  # A clone without ../shared: the project's own (fictitious) PubMed records, copied many times over.
  corpus="$work/corpus"
  mkdir -p "$corpus"
  cp Samples/pubmed-sample.xml Tests/AnnalsInterchangeTests/Fixtures/pubmed-small.xml "$corpus/"
  echo "crash-test: ../shared/corpus/pubmed is not beside the repository; using the repository's own PubMed files"
fi
swift build -c release --scratch-path .build-crash --product annals >"$work/build.log" 2>&1 \
  || { echo "crash-test: the release build failed:" >&2; tail -n 30 "$work/build.log" >&2; exit 2; }
annals=.build-crash/release/annals
python3 scripts/make-pubmed-bench.py --articles 4000 --corpus "$corpus" --out "$work/a.xml" >/dev/null
python3 - "$work/a.xml" "$work/b.xml" <<'PY'
import sys
# A second file with other PMIDs, DOIs and titles, for the two-imports-at-once check.
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace(">5", ">6").replace(".b", ".c").replace("[copy ", "[second copy ")
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
articles=4000

count() { sqlite3 "$1" "SELECT COUNT(*) FROM publication" 2>/dev/null || echo "unreadable"; }

# Time one import, to spread the kills over it.
"$annals" init --db "$work/timing.sqlite" >/dev/null
start=$(date +%s%N)
"$annals" import pubmed --db "$work/timing.sqlite" "$work/a.xml" >/dev/null
duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "one import of $articles articles: ${duration_ms} ms; killing $rounds imports at random moments"

failures=0
held_none=0
held_all=0
for round in $(seq 1 "$rounds"); do
  db="$work/crash-$round.sqlite"
  "$annals" init --db "$db" >/dev/null
  "$annals" import pubmed --db "$db" "$work/a.xml" >/dev/null 2>&1 &
  pid=$!
  sleep "$(python3 -c "import random; print(random.uniform(0.05, $duration_ms / 1000 * 1.1))")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  n=$(count "$db")
  if ! "$annals" check --db "$db" >/dev/null 2>"$work/check.err"; then
    echo "round $round: check failed: $(cat "$work/check.err")"; failures=$((failures + 1))
  elif [ "$n" = "0" ]; then
    held_none=$((held_none + 1))
  elif [ "$n" = "$articles" ]; then
    held_all=$((held_all + 1))
  else
    echo "round $round: $n articles after the kill (expected 0 or $articles)"; failures=$((failures + 1))
  fi
  rm -f "$db" "$db-wal" "$db-shm"
done
echo "kill -9: $rounds rounds, $failures failures (killed before the commit: $held_none; after it: $held_all)"

# Readers during an import, and two imports at once.
db="$work/busy.sqlite"
"$annals" init --db "$db" >/dev/null
"$annals" import registry --db "$db" Samples/registry.xml >/dev/null
"$annals" import pubmed --db "$db" "$work/a.xml" >"$work/import-a.out" 2>&1 &
first=$!
"$annals" import pubmed --db "$db" "$work/b.xml" >"$work/import-b.out" 2>&1 &
second=$!
readers=0
reader_failures=0
# Readers of both kinds the issue names: a case question and the annual report.
while kill -0 "$first" 2>/dev/null || kill -0 "$second" 2>/dev/null; do
  if [ $((readers % 2)) = 0 ]; then
    reader=("$annals" cases "laparoscopic choledochal cyst excision" --db "$db")
  else
    reader=("$annals" report --year 2024 --format json --out - --db "$db")
  fi
  if ! "${reader[@]}" >/dev/null 2>"$work/reader.err"; then
    reader_failures=$((reader_failures + 1)); echo "reader failed: ${reader[*]:1}"; cat "$work/reader.err"
  fi
  readers=$((readers + 1))
done
status_a=0; wait "$first" || status_a=$?
status_b=0; wait "$second" || status_b=$?
if [ "$status_a" != 0 ] || [ "$status_b" != 0 ]; then
  echo "an import failed (exit $status_a and $status_b):"; cat "$work/import-a.out" "$work/import-b.out"; failures=$((failures + 1))
fi
total=$(count "$db")
echo "during two concurrent imports: $readers reader runs, $reader_failures failed; publications afterwards: $total (expected $((2 * articles + 143)))"
[ "$reader_failures" = 0 ] || failures=$((failures + 1))
[ "$readers" -gt 0 ] || { echo "no reader ran while the imports did: nothing was checked"; failures=$((failures + 1)); }
[ "$total" = "$((2 * articles + 143))" ] || failures=$((failures + 1))
"$annals" check --db "$db" >/dev/null || { echo "the registry fails annals check after the concurrent imports"; failures=$((failures + 1)); }

if [ "$failures" -gt 0 ]; then echo "crash-test: FAIL ($failures)" >&2; exit 1; fi
echo "crash-test: PASS"
