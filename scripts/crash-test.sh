#!/usr/bin/env bash
# Kill -9 at random moments during a large PubMed import, N times (default 50). After every kill the
# registry must open, pass `annals check` (PRAGMA integrity_check and the registry's own rules), and
# hold either none or all of the interrupted file's articles. Also checks that readers running during
# an import never fail with "database is locked", and that two imports at once both complete.
#
#   scripts/crash-test.sh [ROUNDS]        (needs ../shared/corpus/pubmed beside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --scratch-path .build-crash --product annals >/dev/null
annals=.build-crash/release/annals
python3 scripts/make-pubmed-bench.py --articles 4000 --out "$work/a.xml" >/dev/null
python3 - "$work/a.xml" "$work/b.xml" <<'PY'
import sys
# A second file with other PMIDs, DOIs and titles, for the two-imports-at-once check.
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace(">5", ">6").replace(".b", ".c").replace("[copy ", "[second copy ")
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
articles=4000

count() { sqlite3 "$1" "SELECT COUNT(*) FROM publication" 2>/dev/null || echo "unreadable"; }
command -v sqlite3 >/dev/null || { echo "crash-test: needs sqlite3 (apt-get install -y sqlite3)" >&2; exit 2; }

# Time one import, to spread the kills over it.
"$annals" init --db "$work/timing.sqlite" >/dev/null
start=$(date +%s%N)
"$annals" import pubmed --db "$work/timing.sqlite" "$work/a.xml" >/dev/null
duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "one import of $articles articles: ${duration_ms} ms; killing $rounds imports at random moments"

failures=0
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
  elif [ "$n" != "0" ] && [ "$n" != "$articles" ]; then
    echo "round $round: $n articles after the kill (expected 0 or $articles)"; failures=$((failures + 1))
  fi
  rm -f "$db" "$db-wal" "$db-shm"
done
echo "kill -9: $rounds rounds, $failures failures"

# Readers during an import, and two imports at once.
db="$work/busy.sqlite"
"$annals" import registry --db "$db" Samples/registry.xml >/dev/null
"$annals" import pubmed --db "$db" "$work/a.xml" >"$work/import-a.out" 2>&1 &
first=$!
"$annals" import pubmed --db "$db" "$work/b.xml" >"$work/import-b.out" 2>&1 &
second=$!
readers=0
reader_failures=0
while kill -0 "$first" 2>/dev/null || kill -0 "$second" 2>/dev/null; do
  if ! "$annals" cases "laparoscopic choledochal cyst excision" --db "$db" >/dev/null 2>"$work/reader.err"; then
    reader_failures=$((reader_failures + 1)); cat "$work/reader.err"
  fi
  readers=$((readers + 1))
done
wait "$first" && wait "$second" || { echo "an import failed:"; cat "$work/import-a.out" "$work/import-b.out"; failures=$((failures + 1)); }
total=$(count "$db")
echo "during two concurrent imports: $readers reader runs, $reader_failures failed; publications afterwards: $total (expected $((2 * articles + 143)))"
[ "$reader_failures" = 0 ] || failures=$((failures + 1))
[ "$total" = "$((2 * articles + 143))" ] || failures=$((failures + 1))
"$annals" check --db "$db" >/dev/null || failures=$((failures + 1))

if [ "$failures" -gt 0 ]; then echo "FAIL ($failures)"; exit 1; fi
echo "PASS"
