#!/usr/bin/env bash
# scripts/crash-test.sh for a PostgreSQL registry: kill -9 at random moments during a PubMed import, N times
# (default 20), each into a new database; after every kill the registry must pass `annals check` and hold
# either none or all of the interrupted file's articles, and the next writer must not wait for the dead one
# (the server rolls its transaction back and frees the writers' lock). Then two imports and readers at once:
# both imports complete, no reader fails.
#
#   scripts/crash-test-postgres.sh [ROUNDS]   (needs ../shared/corpus/pubmed beside the repository)
# The server: ANNALS_BENCH_POSTGRES_URL, or a throw-away one from scripts/pg-test-server.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && scripts/pg-test-server.sh stop "$server" >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT

swift build -c release --scratch-path .build-bench --product annals >/dev/null
annals=.build-bench/release/annals
url=${ANNALS_BENCH_POSTGRES_URL:-}
if [ -z "$url" ]; then server="$work/server"; url=$(scripts/pg-test-server.sh start "$server"); fi
# The password goes through PGPASSWORD, not the command lines.
if [[ "$url" =~ ^(postgres(ql)?://)([^:@/]+):([^@/]*)@(.*)$ ]]; then
    export PGPASSWORD="${BASH_REMATCH[4]}"
    url="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
fi
base=${url%/*}

python3 scripts/make-pubmed-bench.py --articles 4000 --out "$work/a.xml" >/dev/null
python3 - "$work/a.xml" "$work/b.xml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace(">5", ">6").replace(".b", ".c").replace("[copy ", "[second copy ")
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
articles=4000
count() { "$annals" publications --db "$1" --format csv 2>/dev/null | tail -n +2 | wc -l; }

"$annals" init --db "$base/crash_timing_$$" >/dev/null
start=$(date +%s%N)
"$annals" import pubmed --db "$base/crash_timing_$$" "$work/a.xml" >/dev/null
duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "one import of $articles articles: ${duration_ms} ms; killing $rounds imports at random moments"

failures=0
for round in $(seq 1 "$rounds"); do
  db="$base/crash_${$}_$round"
  "$annals" init --db "$db" >/dev/null
  "$annals" import pubmed --db "$db" "$work/a.xml" >/dev/null 2>&1 &
  pid=$!
  sleep "$(python3 -c "import random; print(random.uniform(0.05, $duration_ms / 1000 * 1.1))")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  n=$(count "$db")
  if ! timeout 60 "$annals" check --db "$db" >/dev/null 2>"$work/check.err"; then
    echo "round $round: check failed: $(cat "$work/check.err")"; failures=$((failures + 1))
  elif [ "$n" != "0" ] && [ "$n" != "$articles" ]; then
    echo "round $round: $n articles after the kill (expected 0 or $articles)"; failures=$((failures + 1))
  elif ! timeout 60 "$annals" import pubmed --db "$db" "$work/a.xml" >/dev/null 2>"$work/again.err"; then
    echo "round $round: the next import failed or waited: $(cat "$work/again.err")"; failures=$((failures + 1))
  fi
done
echo "kill -9: $rounds rounds, $failures failures"

db="$base/crash_busy_$$"
"$annals" init --db "$db" >/dev/null
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
