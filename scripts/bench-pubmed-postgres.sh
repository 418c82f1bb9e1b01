#!/usr/bin/env bash
# PubMed import on PostgreSQL against SQLite (see docs/benchmark.md, "PostgreSQL").
#
# Builds `annals` in release mode (scratch folder .build-bench, as scripts/bench-pubmed.sh), generates a
# 30,000-article PubMed file with scripts/make-pubmed-bench.py, and times `annals import pubmed` of it into a
# new, empty SQLite registry and into a new, empty PostgreSQL database, alternating, BENCH_RUNS times each
# (default 3; medians reported). Then checks:
#   1. every article stored on both ("added 30000")
#   2. PostgreSQL wall time <= 2.0 x SQLite wall time
#   3. `annals export` of the two registries is byte-identical
# Prints PASS/FAIL per target and exits 1 if any fails (2 if it could not run).
#
# The server: ANNALS_BENCH_POSTGRES_URL (postgres://USER:PASSWORD@HOST:PORT/DB; a database is created on it per
# run), or else a throw-away server from scripts/pg-test-server.sh, on this machine, stopped at the end.
# Environment: BENCH_RUNS, BENCH_ARTICLES (default 30000), TMPDIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${BENCH_RUNS:-3}
articles=${BENCH_ARTICLES:-30000}
[ -x /usr/bin/time ] && /usr/bin/time -f '%e' true 2>/dev/null || { echo "bench-pubmed-postgres: needs GNU time (apt-get install -y time)" >&2; exit 2; }

echo "== building annals (release, scratch .build-bench)"
swift build -c release --scratch-path .build-bench --product annals 2>&1 | tail -n 1
annals="$(swift build -c release --scratch-path .build-bench --show-bin-path)/annals"

work=$(mktemp -d "${TMPDIR:-/tmp}/annals-bench-pg.XXXXXX")
server=""
cleanup() {
    [ -n "$server" ] && scripts/pg-test-server.sh stop "$server" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

url=${ANNALS_BENCH_POSTGRES_URL:-}
if [ -z "$url" ]; then
    server="$work/server"
    url=$(scripts/pg-test-server.sh start "$server")
    echo "== a throw-away PostgreSQL server started for the benchmark"
fi
# The password goes to the commands through PGPASSWORD, not their arguments (which `ps` shows to everyone).
if [[ "$url" =~ ^(postgres(ql)?://)([^:@/]+):([^@/]*)@(.*)$ ]]; then
    export PGPASSWORD="${BASH_REMATCH[4]}"
    url="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
fi
base=${url%/*}

python3 scripts/make-pubmed-bench.py --articles "$articles" --out "$work/pubmed.xml"
cat "$work/pubmed.xml" >/dev/null

measure() { # measure OUT CMD...: sets secs, kb
    local out=$1; shift
    /usr/bin/time -f '%e %M' -o "$out.time" "$@" >"$out" 2>"$out.err" || { cat "$out.err" >&2; exit 1; }
    read -r secs kb < <(tail -n 1 "$out.time")
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

sqlite_times=() pg_times=() failed=0
for ((i = 1; i <= runs; i++)); do
    db="$work/run-$i.sqlite"
    "$annals" init --db "$db" >/dev/null
    measure "$work/sqlite-$i.out" "$annals" import pubmed --db "$db" "$work/pubmed.xml"
    sqlite_times+=("$secs"); echo "   run $i  SQLite      ${secs} s  $(awk -v k="$kb" 'BEGIN {printf "%.1f", k/1024}') MB  $(grep -o 'added [0-9]*' "$work/sqlite-$i.out" | head -n 1)"
    pg="$base/annals_bench_$$_$i"
    "$annals" init --db "$pg" >/dev/null
    measure "$work/pg-$i.out" "$annals" import pubmed --db "$pg" "$work/pubmed.xml"
    pg_times+=("$secs"); echo "   run $i  PostgreSQL  ${secs} s  $(awk -v k="$kb" 'BEGIN {printf "%.1f", k/1024}') MB  $(grep -o 'added [0-9]*' "$work/pg-$i.out" | head -n 1)"
    if [ "$i" -eq 1 ]; then
        "$annals" export --db "$db" --out "$work/sqlite.xml"
        "$annals" export --db "$pg" --out "$work/pg.xml"
        cmp -s "$work/sqlite.xml" "$work/pg.xml" && same=1 || same=0
        s_added=$(grep -o 'added [0-9]*' "$work/sqlite-$i.out" | head -n 1 | awk '{print $2}')
        p_added=$(grep -o 'added [0-9]*' "$work/pg-$i.out" | head -n 1 | awk '{print $2}')
    fi
    rm -f "$db" "$db-wal" "$db-shm"
done
s=$(median "${sqlite_times[@]}"); p=$(median "${pg_times[@]}")

echo
echo "== results ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $articles articles, medians of $runs runs)"
echo "SQLite      $s s"
echo "PostgreSQL  $p s  ($(awk -v p="$p" -v s="$s" 'BEGIN {printf "%.2f", p/s}') x SQLite)"
check() { if awk "BEGIN {exit !($2)}"; then echo "PASS  $1  ($3)"; else echo "FAIL  $1  ($3)"; failed=1; fi; }
check "all articles stored on both" "${s_added:-0} == $articles && ${p_added:-0} == $articles" "SQLite added ${s_added:-?}, PostgreSQL added ${p_added:-?}"
check "PostgreSQL import <= 2.0 x SQLite" "$p <= 2.0 * $s" "$p s / $s s"
check "export byte-identical" "$same == 1" "annals export of both registries"
exit "$failed"
