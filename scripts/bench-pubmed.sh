#!/usr/bin/env bash
# PubMed import benchmark (see docs/benchmark.md).
#
# Builds `annals` in release mode (scratch folder .build-bench), generates a baseline-size PubMed
# file (30,000 real records with renumbered PMIDs, unique DOIs and titles) and a file 10x larger,
# and times `annals import pubmed` into an empty registry next to `xmllint --stream --noout` (the raw
# libxml2 streaming parse) on the same file, under GNU time. Checks the targets:
#   1. import wall time <= 2.0 x xmllint wall time (30k file, medians of 3 runs)
#   2. import peak RSS < 100 MB (30k file)
#   3. import peak RSS < 100 MB for the 300k file too, and within 1.5 x the 30k peak
#   (and that every article was really stored: "added N")
# Prints PASS/FAIL per target and exits 1 if any target fails.
#
# Usage: scripts/bench-pubmed.sh [--quick]
#   --quick   only the 30k file, one run of each command
# Environment: BENCH_RUNS (runs per command for the 30k file, default 3), TMPDIR (where the
#   generated files go: the 300k file is ~4 GB, plus its registry), BENCH_ANNALS (an annals binary to
#   time instead of building one), BENCH_REFERENCE_ANNALS (another build, e.g. main's, imported in the
#   same runs on the same file, alternating; checks the build under test is within 10 % of it).
set -euo pipefail

quick=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-pubmed: unknown option $arg (try --help)" >&2; exit 2 ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

# --- tools -------------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    echo "bench-pubmed: /usr/bin/time (GNU time) is missing; installing it with apt-get install -y time" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y time >&2; else sudo apt-get install -y time >&2; fi
fi
if ! /usr/bin/time -f '%e' true 2>/dev/null; then
    echo "bench-pubmed: /usr/bin/time is not GNU time (no -f); install the 'time' package" >&2
    exit 2
fi
command -v xmllint >/dev/null || { echo "bench-pubmed: xmllint is missing (apt-get install libxml2-utils)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench-pubmed: python3 is missing" >&2; exit 2; }

if [ -n "${BENCH_ANNALS:-}" ]; then
    annals=$BENCH_ANNALS
else
    echo "== building annals (release, scratch .build-bench)"
    if ! build_log=$(swift build -c release --scratch-path .build-bench --product annals 2>&1); then
        printf '%s\n' "$build_log" >&2
        echo "bench-pubmed: the release build failed" >&2
        exit 2
    fi
    printf '%s\n' "$build_log" | tail -n 1
    annals="$(swift build -c release --scratch-path .build-bench --show-bin-path)/annals"
fi
[ -x "$annals" ] || { echo "bench-pubmed: no annals binary at $annals" >&2; exit 2; }
reference=${BENCH_REFERENCE_ANNALS:-}
[ -z "$reference" ] || [ -x "$reference" ] || { echo "bench-pubmed: no annals binary at $reference" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/annals-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# --- helpers -----------------------------------------------------------------------------------
# measure LABEL CMD...: runs CMD under GNU time, stdout/stderr to $work/LABEL.out/.err;
# sets secs and kb (wall seconds, peak RSS in KiB).
measure() {
    local label=$1; shift
    local status=0
    /usr/bin/time -f '%e %M' -o "$work/$label.time" "$@" >"$work/$label.out" 2>"$work/$label.err" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "bench-pubmed: '$*' failed (exit $status):" >&2
        tail -n 20 "$work/$label.err" >&2
        exit 1
    fi
    read -r secs kb < <(tail -n 1 "$work/$label.time")
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }

failed=0
check() { # check NAME CONDITION(awk expression) DETAIL
    if awk "BEGIN {exit !($2)}"; then echo "PASS  $1  ($3)"; else echo "FAIL  $1  ($3)"; failed=1; fi
}

# bench NAME ARTICLES RUNS: generates the file, times RUNS xmllint and RUNS imports (alternating,
# a fresh empty registry for each import); sets r_size r_lint r_import r_lint_kb r_import_kb r_added.
bench() {
    local name=$1 articles=$2 runs=$3
    local file="$work/pubmed-$name.xml"
    echo
    echo "== $name: generating $articles articles"
    python3 scripts/make-pubmed-bench.py --articles "$articles" --out "$file"
    r_size=$(stat -c %s "$file")
    # Write the generated file out first (otherwise the kernel writes it back during the first timed
    # runs, competing with the import's own writes), then warm the page cache so neither command pays
    # for the first read.
    sync
    cat "$file" >/dev/null
    local lint=() import=() lint_kb=() import_kb=() reference_s=() reference_kb=() i
    for ((i = 1; i <= runs; i++)); do
        measure "lint-$name-$i" xmllint --stream --noout "$file"
        lint+=("$secs"); lint_kb+=("$kb")
        echo "   run $i  xmllint --stream --noout   ${secs} s  $(mb "$kb") MB"
        local db="$work/registry-$name-$i.sqlite"
        "$annals" init --db "$db" >/dev/null
        measure "import-$name-$i" "$annals" import pubmed --db "$db" "$file"
        import+=("$secs"); import_kb+=("$kb")
        echo "   run $i  annals import pubmed      ${secs} s  $(mb "$kb") MB"
        if [ "$i" -eq 1 ]; then
            sed "s|^$work/||; s|^|   annals: |" "$work/import-$name-$i.out"
            r_added=$(grep -o 'added [0-9]*' "$work/import-$name-$i.out" | head -n 1 | awk '{print $2}')
        fi
        rm -f "$db" "$db-wal" "$db-shm"
        sync
        if [ -n "$reference" ]; then
            "$reference" init --db "$db" >/dev/null
            measure "reference-$name-$i" "$reference" import pubmed --db "$db" "$file"
            reference_s+=("$secs"); reference_kb+=("$kb")
            echo "   run $i  reference import pubmed   ${secs} s  $(mb "$kb") MB"
            rm -f "$db" "$db-wal" "$db-shm"
            sync
        fi
    done
    if [ -n "$reference" ]; then r_reference=$(median "${reference_s[@]}"); r_reference_kb=$(maxof "${reference_kb[@]}"); fi
    r_lint=$(median "${lint[@]}"); r_import=$(median "${import[@]}")
    r_lint_kb=$(maxof "${lint_kb[@]}"); r_import_kb=$(maxof "${import_kb[@]}")
    rm -f "$file"
}

row() { # row NAME ARTICLES
    awk -v n="$1" -v a="$2" -v s="$r_size" -v l="$r_lint" -v i="$r_import" -v lk="$r_lint_kb" -v ik="$r_import_kb" \
        'BEGIN {printf "%-6s %9d %10.1f %12.2f %12.2f %7.2f %14.1f %13.1f\n", n, a, s/1e6, l, i, i/l, lk/1024, ik/1024}'
}

# --- runs --------------------------------------------------------------------------------------
runs=${BENCH_RUNS:-3}
[ "$quick" -eq 1 ] && runs=1
small=30000 large=300000

bench 30k "$small" "$runs"
s_reference=${r_reference:-} s_reference_kb=${r_reference_kb:-}
s_size=$r_size s_lint=$r_lint s_import=$r_import s_lint_kb=$r_lint_kb s_import_kb=$r_import_kb s_added=$r_added
if [ "$quick" -eq 0 ]; then
    bench 300k "$large" 1
fi

echo
echo "== results ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; wall = median of runs, peak RSS = max of runs, MB = MiB)"
printf '%-6s %9s %10s %12s %12s %7s %14s %13s\n' file articles "size MB" "xmllint s" "import s" ratio "xmllint RSS" "import RSS"
if [ "$quick" -eq 0 ]; then
    l_size=$r_size l_lint=$r_lint l_import=$r_import l_lint_kb=$r_lint_kb l_import_kb=$r_import_kb l_added=$r_added
    r_size=$s_size r_lint=$s_lint r_import=$s_import r_lint_kb=$s_lint_kb r_import_kb=$s_import_kb
    row 30k "$small"
    r_size=$l_size r_lint=$l_lint r_import=$l_import r_lint_kb=$l_lint_kb r_import_kb=$l_import_kb
    row 300k "$large"
else
    row 30k "$small"
fi

echo
check "all 30k articles stored" "${s_added:-0} == $small" "added ${s_added:-?}"
check "import <= 2.0 x xmllint (30k)" "$s_import <= 2.0 * $s_lint" \
    "$(awk -v i="$s_import" -v l="$s_lint" 'BEGIN {printf "%.2f s / %.2f s = %.2f", i, l, i/l}')"
check "import peak RSS < 100 MB (30k)" "$s_import_kb / 1024 < 100" "$(mb "$s_import_kb") MB"
if [ -n "$reference" ]; then
    check "import within 10 % of the reference build (30k)" "$s_import <= 1.10 * $s_reference" \
        "$(awk -v i="$s_import" -v r="$s_reference" 'BEGIN {printf "%.2f s / %.2f s = %.2f", i, r, i/r}'); reference peak RSS $(mb "$s_reference_kb") MB"
fi
if [ "$quick" -eq 0 ]; then
    check "all 300k articles stored" "${l_added:-0} == $large" "added ${l_added:-?}"
    check "import peak RSS < 100 MB (300k)" "$l_import_kb / 1024 < 100" "$(mb "$l_import_kb") MB"
    check "300k peak RSS <= 1.5 x 30k peak" "$l_import_kb <= 1.5 * $s_import_kb" \
        "$(awk -v l="$l_import_kb" -v s="$s_import_kb" 'BEGIN {printf "%.1f MB / %.1f MB = %.2f", l/1024, s/1024, l/s}')"
    echo "info  import / xmllint on the 300k file: $(awk -v i="$l_import" -v l="$l_lint" 'BEGIN {printf "%.2f", i/l}')"
fi
exit "$failed"
