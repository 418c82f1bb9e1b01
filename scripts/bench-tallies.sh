#!/usr/bin/env bash
# Tally import benchmark (see docs/benchmark.md, "Tally import").
#
# Builds `annals` in release mode (scratch folder .build-bench, as the other benchmarks), generates tally
# CSVs with scripts/make-tally-bench.py (616 series of monthly tallies: 14 departments x 11 procedures x
# 2 approaches x 2 campuses, month after month) of 10,000, 100,000 and 1,000,000 rows, and imports each
# into a new registry holding the hospital, its campuses and departments, under `/usr/bin/time -v`
# (wall time, peak resident set size). Then checks:
#   1. every row stored ("added N")
#   2. 100,000 rows in <= 5 s
#   3. linear: 1,000,000 rows take <= 1.5 x ten times the 100,000-row time
#   4. peak RSS < 150 MB for every size
#   5. `annals check` finds nothing wrong in the 100,000-row registry
# Prints PASS/FAIL per target and exits 1 if any fails (2 if it could not run).
#
# Usage: scripts/bench-tallies.sh [--quick] [--postgres]
#   --quick     10,000 and 100,000 rows only
#   --postgres  also import 10,000 and 100,000 rows into PostgreSQL and report the times (information:
#               the server is ANNALS_BENCH_POSTGRES_URL, or a throw-away one from scripts/pg-test-server.sh)
# Environment: TMPDIR (the 1,000,000-row file is about 70 MB, its registry about 400 MB).
set -euo pipefail

quick=0 postgres=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        --postgres) postgres=1 ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-tallies: unknown option $arg (try --help)" >&2; exit 2 ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -x /usr/bin/time ]; then
    echo "bench-tallies: /usr/bin/time (GNU time) is missing; installing it with apt-get install -y time" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y time >&2; else sudo apt-get install -y time >&2; fi
fi
/usr/bin/time -v true 2>/dev/null || { echo "bench-tallies: /usr/bin/time is not GNU time (no -v)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench-tallies: python3 is missing" >&2; exit 2; }

echo "== building annals (release, scratch .build-bench)"
if ! build_log=$(swift build -c release --scratch-path .build-bench --product annals 2>&1); then
    printf '%s\n' "$build_log" >&2
    echo "bench-tallies: the release build failed" >&2
    exit 2
fi
printf '%s\n' "$build_log" | tail -n 1
annals="$(swift build -c release --scratch-path .build-bench --show-bin-path)/annals"
[ -x "$annals" ] || { echo "bench-tallies: no annals binary at $annals" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/annals-bench-tallies.XXXXXX")
server=""
cleanup() {
    [ -n "$server" ] && scripts/pg-test-server.sh stop "$server" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 scripts/make-tally-bench.py --registry "$work/hospital.xml"

# measure LABEL CMD...: runs CMD under `/usr/bin/time -v`; sets secs (wall) and kb (peak RSS, KiB).
measure() {
    local label=$1; shift
    local status=0
    /usr/bin/time -v -o "$work/$label.time" "$@" >"$work/$label.out" 2>"$work/$label.err" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "bench-tallies: '$*' failed (exit $status):" >&2
        tail -n 20 "$work/$label.err" >&2
        exit 1
    fi
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/$label.time")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$label.time")
}
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }

failed=0
check() { # check NAME CONDITION(awk expression) DETAIL
    if awk "BEGIN {exit !($2)}"; then echo "PASS  $1  ($3)"; else echo "FAIL  $1  ($3)"; failed=1; fi
}

# run LABEL ROWS DB: a new registry at DB with the hospital, then the timed import of ROWS rows.
# Sets r_secs, r_kb, r_added.
run() {
    local label=$1 rows=$2 db=$3
    local file="$work/tallies-$rows.csv"
    [ -f "$file" ] || python3 scripts/make-tally-bench.py --rows "$rows" --out "$file"
    "$annals" init --db "$db" >/dev/null
    "$annals" import registry --db "$db" "$work/hospital.xml" >/dev/null
    sync
    cat "$file" >/dev/null
    measure "$label" "$annals" import tallies --db "$db" "$file"
    r_secs=$secs r_kb=$kb
    r_added=$(grep -o 'added [0-9]*' "$work/$label.out" | head -n 1 | awk '{print $2}')
    printf '   %-22s %9d rows %8.1f MB  %8.2f s  peak RSS %7.1f MB  added %s\n' \
        "$label" "$rows" "$(awk -v s="$(stat -c %s "$file")" 'BEGIN {print s/1e6}')" "$r_secs" "$(mb "$r_kb")" "${r_added:-?}"
}

sizes=(10000 100000)
[ "$quick" -eq 0 ] && sizes+=(1000000)
declare -A secs_of kb_of added_of
echo "== SQLite"
for rows in "${sizes[@]}"; do
    db="$work/registry-$rows.sqlite"
    run "sqlite-$rows" "$rows" "$db"
    secs_of[$rows]=$r_secs kb_of[$rows]=$r_kb added_of[$rows]=$r_added
    if [ "$rows" -eq 100000 ]; then
        "$annals" check --db "$db" >"$work/check.out" 2>&1 && check_ok=1 || check_ok=0
    fi
    rm -f "$db" "$db-wal" "$db-shm"
done

if [ "$postgres" -eq 1 ]; then
    url=${ANNALS_BENCH_POSTGRES_URL:-}
    if [ -z "$url" ]; then
        server="$work/server"
        url=$(scripts/pg-test-server.sh start "$server")
        echo "== a throw-away PostgreSQL server started for the benchmark"
    fi
    # The password goes to the commands through PGPASSWORD, not their arguments.
    if [[ "$url" =~ ^(postgres(ql)?://)([^:@/]+):([^@/]*)@(.*)$ ]]; then
        export PGPASSWORD="${BASH_REMATCH[4]}"
        url="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
    fi
    echo "== PostgreSQL"
    declare -A pg_secs pg_kb
    for rows in 10000 100000; do
        run "postgres-$rows" "$rows" "${url%/*}/annals_tally_bench_$$_$rows"
        pg_secs[$rows]=$r_secs pg_kb[$rows]=$r_kb
    done
fi

echo
echo "== results ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, release build, MB = MiB)"
printf '%-10s %10s %12s %14s\n' backend rows "wall s" "peak RSS MB"
for rows in "${sizes[@]}"; do printf '%-10s %10d %12.2f %14.1f\n' SQLite "$rows" "${secs_of[$rows]}" "$(mb "${kb_of[$rows]}")"; done
if [ "$postgres" -eq 1 ]; then
    for rows in 10000 100000; do printf '%-10s %10d %12.2f %14.1f\n' PostgreSQL "$rows" "${pg_secs[$rows]}" "$(mb "${pg_kb[$rows]}")"; done
fi
echo
for rows in "${sizes[@]}"; do
    check "all $rows rows stored" "${added_of[$rows]:-0} == $rows" "added ${added_of[$rows]:-?}"
done
check "100,000 rows in <= 5 s" "${secs_of[100000]} <= 5" "${secs_of[100000]} s"
if [ "$quick" -eq 0 ]; then
    check "linear: 1,000,000 rows <= 1.5 x 10 x the 100,000-row time" "${secs_of[1000000]} <= 15 * ${secs_of[100000]}" \
        "$(awk -v a="${secs_of[1000000]}" -v b="${secs_of[100000]}" 'BEGIN {printf "%.2f s / %.2f s = %.1f x", a, b, a/b}')"
fi
for rows in "${sizes[@]}"; do
    check "peak RSS < 150 MB ($rows rows)" "${kb_of[$rows]} / 1024 < 150" "$(mb "${kb_of[$rows]}") MB"
done
check "annals check finds nothing wrong (100,000 rows)" "${check_ok:-0} == 1" "$(head -n 1 "$work/check.out")"
if [ "$postgres" -eq 1 ]; then
    echo "info  PostgreSQL 100,000 / 10,000 rows: $(awk -v a="${pg_secs[100000]}" -v b="${pg_secs[10000]}" 'BEGIN {printf "%.1f x (linear: about 10 x)", a/b}')"
fi
exit "$failed"
