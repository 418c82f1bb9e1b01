#!/usr/bin/env bash
# The web registry under load (issue 20, "Load"; figures in docs/benchmark.md, "Web under load").
# A benchmark, not a test.
#
# 1. Builds a large registry (cached, keyed by sizes, so re-runs skip it): 20 departments and 2,000
#    people (scripts/make-load-registry.py: the authors of the real PubMed records are people of the
#    registry, so papers are credited; partly, see that script), 1,000,000 tallies
#    (scripts/make-tally-bench.py) and 100,000 papers (scripts/make-pubmed-bench.py: real records made
#    distinct), imported with `annals import registry|tallies|pubmed`. --small: 10 x fewer of each.
# 2. Adds an office account and a secretary (general-surgery), starts `annals serve` on a free port of
#    127.0.0.1 and signs in with curl (session cookie; every route is first checked to answer 200 with it).
# 3. Runs wrk (2 threads, 32 connections, --duration seconds, --latency) per route, signed in: /healthz (the
#    framework's ceiling, same server, same run), the dashboard of one department and of the whole
#    hospital, a filtered paper list at page 50, a person's page, /api/cases with a procedure and
#    by=year, the report page (as the office, and the department dashboard as the secretary too). Samples
#    the server's VmRSS every 5 s; reads VmHWM at the end.
#    Targets (printed PASS/FAIL): p99 <= 150 ms for the dashboards, <= 100 ms for the paper list, the
#    person's page and /api/cases; /api/cases requests/s >= 30 % of /healthz's; no non-2xx answer and no
#    socket error; server peak RSS < 300 MB. The report page has no latency target (information).
# 4. --soak MINUTES: a route mix (dashboards, list, person, cases) for MINUTES more, RSS every 5 s.
# 5. --with-upload: the readers' mix for --duration seconds alone, then again while a 30,000-article
#    PubMed file is uploaded by the office through the web (`--upload-via web`, the default: gzipped,
#    POST /uploads/preview, then /uploads/confirm) or imported into the same registry by `annals import
#    pubmed --db` (`--upload-via cli`, another process); target: their p99 not over 2 x; and every
#    article stored (the registry's paper count before and after, `annals publications --format csv`).
#
# Usage: scripts/bench-load.sh [--annals PATH] [--small] [--postgres URL] [--duration S] [--soak MIN]
#                              [--with-upload] [--upload-via web|cli] [--cache DIR] [--port N]
#   --annals PATH   the annals binary (default: build release in .build-bench, as the other benchmarks)
#   --postgres URL  the registry in this PostgreSQL database server (postgres://USER[:PASS]@HOST:PORT/DB;
#                   a database annals_load_<sizes> is made next to DB), e.g. from scripts/pg-test-server.sh
#   --cache DIR     where built registries are kept (default ${TMPDIR:-/tmp}/annals-load-cache); each run
#                   serves a copy (SQLite: the file copied; PostgreSQL: CREATE DATABASE ... TEMPLATE), so the
#                   upload of --with-upload does not change the cached registry
#   --build-only    build (or find) the cached registry and stop
# With --postgres, a cached SQLite registry of the same sizes is copied into PostgreSQL by `annals migrate-store`
# (the same records) instead of being imported again.
# Exit status 1 when a target fails, 2 when it could not run.
set -euo pipefail

annals="" small=0 build_only=0 pg="" duration=30 soak=0 upload=0 upload_via=web port=""
cache=${TMPDIR:-/tmp}/annals-load-cache
while [ $# -gt 0 ]; do
    case "$1" in
        --annals) annals=$2; shift ;;
        --small) small=1 ;;
        --postgres) pg=$2; shift ;;
        --duration) duration=$2; shift ;;
        --soak) soak=$2; shift ;;
        --with-upload) upload=1 ;;
        --upload-via) upload_via=$2; shift ;;
        --cache) cache=$2; shift ;;
        --port) port=$2; shift ;;
        --build-only) build_only=1 ;;
        -h|--help) sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-load: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
# shellcheck source=scripts/lib-web.sh
. scripts/lib-web.sh

web_apt_install wrk wrk
for tool in wrk curl python3; do command -v $tool >/dev/null || { echo "bench-load: $tool is missing" >&2; exit 2; }; done

if [ -z "$annals" ]; then
    echo "== building annals (release, scratch .build-bench)"
    swift build -c release --scratch-path .build-bench --product annals 2>&1 | tail -n 1
    annals="$(swift build -c release --scratch-path .build-bench --show-bin-path)/annals"
fi
[ -x "$annals" ] || { echo "bench-load: no annals binary at $annals" >&2; exit 2; }
annals=$(readlink -f "$annals")

if [ "$small" -eq 1 ]; then papers=10000 tallies=100000 people=200; else papers=100000 tallies=1000000 people=2000; fi
key="p${papers}-t${tallies}-n${people}"
mkdir -p "$cache"
work=$(mktemp -d "${TMPDIR:-/tmp}/annals-load.XXXXXX")
server_pid="" dropped=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [ -n "$dropped" ]; then psql "${pg%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$dropped\"" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$pg" ]; then
    # The password goes to annals through PGPASSWORD, not its arguments.
    if [[ "$pg" =~ ^(postgres(ql)?://)([^:@/]+):([^@/]*)@(.*)$ ]]; then
        export PGPASSWORD="${BASH_REMATCH[4]}"
        pg="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
    fi
    db="${pg%/*}/annals_load_${papers}_${tallies}_${people}"
    marker="$cache/postgres-$(printf '%s' "$db" | md5sum | cut -c1-12)-$key.done"
    backend=PostgreSQL
else
    db="$cache/sqlite-$key/registry.sqlite"
    marker="$cache/sqlite-$key/complete"
    backend=SQLite
fi

# --- 1. the registry ---------------------------------------------------------------------------
sqlite_cached="$cache/sqlite-$key/registry.sqlite"
if [ -f "$marker" ]; then
    echo "== registry ($backend, $key): cached ($db)"
elif [ -n "$pg" ] && [ -f "$cache/sqlite-$key/complete" ]; then
    # The same registry as the SQLite run's, copied record by record (every table, then counted on both sides)
    # instead of imported again: the import of 100,000 papers is what scripts/bench-pubmed-postgres.sh measures.
    echo "== building the registry ($backend, $key) from the cached SQLite one: $db"
    psql "${pg%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"${db##*/}\"" >/dev/null
    t0=$(date +%s)
    "$annals" migrate-store --from "$sqlite_cached" --to "$db" | tail -n 3
    echo "   copied in $(($(date +%s) - t0)) s"
    touch "$marker"
else
    echo "== building the registry ($backend, $key): $db"
    if [ -z "$pg" ]; then rm -rf "$(dirname "$db")"; mkdir -p "$(dirname "$db")"; fi
    python3 scripts/make-load-registry.py --people "$people" --out "$work/registry.xml"
    python3 scripts/make-tally-bench.py --rows "$tallies" --out "$work/tallies.csv"
    python3 scripts/make-pubmed-bench.py --articles "$papers" --out "$work/papers.xml"
    if [ -n "$pg" ]; then
        psql "${pg%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"${db##*/}\"" -c "CREATE DATABASE \"${db##*/}\"" >/dev/null
    fi
    t0=$(date +%s)
    "$annals" init --db "$db" >/dev/null
    "$annals" import registry --db "$db" "$work/registry.xml" | head -n 1
    "$annals" import tallies --db "$db" "$work/tallies.csv" | head -n 1
    "$annals" import pubmed --db "$db" "$work/papers.xml" | head -n 2
    printf 'office-bench-password\n' | "$annals" user add --db "$db" bench-office --role office --password-stdin >/dev/null
    printf 'secretary-bench-password\n' | "$annals" user add --db "$db" bench-secretary --role secretary \
        --department general-surgery --password-stdin >/dev/null
    rm -f "$work/registry.xml" "$work/tallies.csv" "$work/papers.xml"
    echo "   built in $(($(date +%s) - t0)) s"
    touch "$marker"
fi

[ "$build_only" -eq 1 ] && exit 0

# Serve a copy of the cached registry.
if [ -n "$pg" ]; then
    run_db="${db}_run$$"
    psql "${pg%/*}/postgres" -qc "CREATE DATABASE \"${run_db##*/}\" TEMPLATE \"${db##*/}\"" >/dev/null
    dropped="${run_db##*/}"
else
    run_db="$work/registry.sqlite"
    cp "$db" "$run_db"
    for suffix in -wal -shm; do [ ! -f "$db$suffix" ] || cp "$db$suffix" "$run_db$suffix"; done
fi
db=$run_db

paper_count() { "$annals" publications --db "$db" --format csv | tail -n +2 | wc -l; }

# --- 2. serve, sign in --------------------------------------------------------------------------
if [ -z "$port" ]; then port=$(web_free_port); fi
base="http://127.0.0.1:$port"
"$annals" serve --db "$db" --port "$port" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
web_wait_up "$base" 60 || { echo "bench-load: annals serve did not answer" >&2; cat "$work/serve.err" >&2; exit 2; }

# signin NAME PASSWORD: prints the Cookie header value of a signed-in session.
signin() { web_signin "$base" "$work/jar-$1" "$1" "$2"; }
office=$(signin bench-office office-bench-password)
secretary=$(signin bench-secretary secretary-bench-password)
[ -n "$office" ] && [ -n "$secretary" ] || { echo "bench-load: could not sign in" >&2; exit 2; }

# A person with credited papers, and the year with most papers (for the filtered list).
person=$(web_busiest_person "$annals" "$db")
[ -n "$person" ] || { echo "bench-load: no paper of general-surgery is credited to a person" >&2; exit 2; }

procedure=appendectomy
declare -A route_of cookie_of
names=(healthz dash-hospital dash-department dash-secretary papers-p50 person api-cases report)
route_of[healthz]="/healthz"
route_of[dash-hospital]="/"
route_of[dash-department]="/?department=general-surgery"
route_of[dash-secretary]="/?department=general-surgery"
route_of[papers-p50]="/papers?department=general-surgery&page=50"
route_of[person]="/people/$person"
route_of[api-cases]="/api/cases?procedure=$procedure&by=year"
route_of[report]="/reports?department=general-surgery"
for n in "${names[@]}"; do cookie_of[$n]=$office; done
cookie_of[dash-secretary]=$secretary

# The first request of each route, in the language the timed requests ask for, is also the one that finds nothing
# kept: the server keeps dashboards, reports, people's pages and case answers until the registry changes, so its
# time is what the first reader after a change waits. Printed as it is, before any figure kept is used.
declare -A first
echo "first request of each route (nothing kept yet), ms:"
for n in "${names[@]}"; do
    read -r code t < <(curl -s -o "$work/check-$n.html" -w '%{http_code} %{time_total}\n' \
        -H "Cookie: ${cookie_of[$n]}" -H "Accept-Language: zh-CN" "$base${route_of[$n]}")
    [ "$code" = 200 ] || { echo "bench-load: ${route_of[$n]} answers $code when signed in" >&2; exit 2; }
    first[$n]=$(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')
    printf '  %-16s %-44s %9s\n' "$n" "${route_of[$n]}" "${first[$n]}"
done
grep -q 'page=51\|page=49' "$work/check-papers-p50.html" || echo "warning: the paper list shows no neighbouring page: fewer than 50 pages?"

# --- RSS sampling -------------------------------------------------------------------------------
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; }
(
    start=$(date +%s)
    while kill -0 "$server_pid" 2>/dev/null; do
        echo "$(($(date +%s) - start)) $(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null)" >>"$work/rss.log"
        sleep 5
    done
) &
sampler=$!

echo "== $backend registry: $(paper_count) papers; serving on $base (pid $server_pid); person $person"
echo "   load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# wrkrun NAME ROUTE COOKIE SECONDS: sets w_p50 w_p99 (ms; NA when no request completed) w_rps w_non2xx
# w_errors w_requests.
to_ms() { web_to_ms "$1"; }
wrkrun() {
    local name=$1 route=$2 cookie=$3 seconds=$4 out="$work/wrk-$1.txt"
    wrk -t2 -c32 -d"${seconds}s" --timeout 30s --latency -H "Cookie: $cookie" -H "Accept-Language: zh-CN" \
        "$base$route" >"$out" 2>&1
    w_p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
    w_p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
    w_rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
    w_requests=$(awk '/requests in/ {print $1}' "$out")
    w_non2xx=$(awk '/Non-2xx/ {print $NF}' "$out"); w_non2xx=${w_non2xx:-0}
    w_errors=$(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out"); w_errors=${w_errors:-0}
    if [ "${w_requests:-0}" = 0 ]; then w_p50=NA w_p99=NA; fi
}
# wait_idle: waits until the server uses under 5 % of a core for 2 s running (requests of an earlier wrk
# run it is still working on would otherwise be counted against the next route); prints the seconds waited.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
wait_idle() {
    local start=$SECONDS quiet=0 a b
    while [ "$quiet" -lt 2 ] && [ $((SECONDS - start)) -lt 1800 ]; do
        a=$(cpu_ticks); sleep 1; b=$(cpu_ticks)
        if [ $((b - a)) -le 5 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    done
    echo $((SECONDS - start))
}
# alone ROUTE COOKIE: the time of one request on its own (ms; the median of 3, or the first when over 5 s).
alone() {
    local times=() t i
    for i in 1 2 3; do
        t=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $2" -H "Accept-Language: zh-CN" "$base$1")
        times+=("$(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')")
        if awk -v t="$t" 'BEGIN {exit !(t > 5)}'; then echo "${times[0]}"; return; fi
    done
    printf '%s\n' "${times[@]}" | sort -g | sed -n 2p
}

failed=0
check() { # check NAME CONDITION(awk expression) DETAIL
    if [[ "$2" == *NA* ]]; then echo "FAIL  $1  ($3)"; failed=1; return; fi
    if awk "BEGIN {exit !($2)}"; then echo "PASS  $1  ($3)"; else echo "FAIL  $1  ($3)"; failed=1; fi
}

# --- 3. the routes ------------------------------------------------------------------------------
# A route whose single request alone takes over duration / 16 (2 cores, 32 connections) is not put under
# wrk: most of the 32 connections would not see one answer within the run, and the server would go on
# working on them for minutes afterwards. Its figure is then the time of one request alone.
declare -A p50 p99 rps non2xx errors requests load single
printf '%-16s %-44s %9s %9s %9s %9s %8s %7s %7s %s\n' name route alone-ms p50-ms p99-ms req/s requests non2xx sockerr load-avg
for n in "${names[@]}"; do
    waited=$(wait_idle)
    single[$n]=$(alone "${route_of[$n]}" "${cookie_of[$n]}")
    if awk -v t="${single[$n]}" -v d="$duration" 'BEGIN {exit !(t * 16 > d * 1000)}'; then
        w_p50=NA w_p99=NA w_rps=0 w_requests=0 w_non2xx=0 w_errors=0
        note="(not run under wrk: one request alone takes ${single[$n]} ms)"
    else
        wrkrun "$n" "${route_of[$n]}" "${cookie_of[$n]}" "$duration"
        note="(waited ${waited} s for the server to be idle)"
    fi
    p50[$n]=$w_p50 p99[$n]=$w_p99 rps[$n]=$w_rps non2xx[$n]=$w_non2xx errors[$n]=$w_errors requests[$n]=$w_requests
    load[$n]=$(cut -d' ' -f1 /proc/loadavg)
    printf '%-16s %-44s %9s %9s %9s %9s %8s %7s %7s %s %s\n' "$n" "${route_of[$n]}" "${single[$n]}" "$w_p50" "$w_p99" \
        "$w_rps" "$w_requests" "$w_non2xx" "$w_errors" "${load[$n]}" "$note"
done
# The session must still be valid after the run (wrk counts a 3xx redirect to /signin as success).
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $office" "$base/papers")
[ "$code" = 200 ] || { echo "FAIL  the session ended during the run (/papers answers $code)"; failed=1; }

# --- 4. soak ------------------------------------------------------------------------------------
# The soak and the upload readers use the routes of a reader (dashboard of a department, paper list,
# person, /api/cases) that answer one request alone within 1 s (the others would only queue up).
fast=()
for n in dash-department papers-p50 person api-cases; do
    awk -v t="${single[$n]}" 'BEGIN {exit !(t <= 1000)}' && fast+=("$n")
done
[ "${#fast[@]}" -gt 0 ] || fast=(api-cases)
echo "== the reader mix for the soak and the upload: ${fast[*]}"
if [ "$soak" -gt 0 ]; then
    wait_idle >/dev/null
    echo "== soak: $soak min of a route mix (32 connections in 4 wrk runs side by side)"
    soak_s=$((soak * 60))
    pids=()
    for n in "${fast[@]}"; do
        wrk -t1 -c$((32 / ${#fast[@]})) -d"${soak_s}s" --timeout 30s --latency -H "Cookie: ${cookie_of[$n]}" "$base${route_of[$n]}" \
            >"$work/soak-$n.txt" 2>&1 &
        pids+=($!)
    done
    soak_start=$(awk 'END {print $1}' "$work/rss.log")
    wait "${pids[@]}"
    for n in "${fast[@]}"; do
        printf '   %-16s p99 %s  req/s %s  %s\n' "$n" "$(awk '$1 == "99%" {print $2}' "$work/soak-$n.txt")" \
            "$(awk '/^Requests\/sec/ {print $2}' "$work/soak-$n.txt")" "$(grep -E 'Non-2xx|Socket errors' "$work/soak-$n.txt" | tr '\n' ' ')"
    done
    echo "   RSS during the soak (MB, every minute):"
    awk -v s="$soak_start" '$1 >= s && ($1 - s) % 60 < 5 {printf "   %4d s %7.1f\n", $1 - s, $2 / 1024}' "$work/rss.log"
    soak_first=$(awk -v s="$soak_start" '$1 >= s + 55 {print $2; exit}' "$work/rss.log")
    soak_last=$(awk 'END {print $2}' "$work/rss.log")
fi

# --- 5. upload while reading --------------------------------------------------------------------
if [ "$upload" -eq 1 ]; then
    echo "== readers with and without a 30,000-article upload ($upload_via)"
    before=$(paper_count)
    readers=("${fast[@]}")
    mix() { # mix LABEL: the readers side by side for --duration seconds
        local pids=() n
        for n in "${readers[@]}"; do
            wrk -t1 -c$((32 / ${#readers[@]})) -d"${duration}s" --timeout 30s --latency -H "Cookie: ${cookie_of[$n]}" "$base${route_of[$n]}" \
                >"$work/$1-$n.txt" 2>&1 &
            pids+=($!)
        done
        wait "${pids[@]}"
    }
    if [ "$upload_via" = web ]; then
        # As the office uploads in the browser: gzipped files (as PubMed ships them), each through POST
        # /uploads/preview (multipart, the form token first), which checks it as a dry run and answers with a
        # confirmation token, then POST /uploads/confirm, which imports it in one transaction. The route takes
        # 64 MB; these articles (real ones with long author lists and abstracts, 13 KB each) gzip to 3 KB each,
        # so the 30,000 go as two files of 15,000 (other DOIs and titles in each).
        for half in 1 2; do
            python3 scripts/make-pubmed-bench.py --articles 15000 --pmid-offset $((20000000 + (half - 1) * 15000)) \
                --out "$work/upload-$half.xml" >/dev/null
            sed -i "s/\\.b\\([0-9][0-9]*\\)</.w${half}x\\1</g; s/ \\[copy \\([0-9][0-9]*\\)\\]/ [web upload $half, \\1]/g" \
                "$work/upload-$half.xml"
            gzip -1 "$work/upload-$half.xml"
        done
        echo "   $(du -cm "$work"/upload-[12].xml.gz | tail -n 1 | cut -f1) MB of gzip in two files, through /uploads/preview and /uploads/confirm"
        upload_web() { # upload_web FILE
            local csrf token code
            csrf=$(curl -fs -H "Cookie: $office" "$base/uploads" | grep -o 'name="csrf" value="[^"]*"' | head -n 1 |
                sed 's/.*value="//; s/"$//')
            code=$(curl -s -o "$work/preview.html" -w '%{http_code}' -H "Cookie: $office" -H "Origin: $base" \
                -H "Sec-Fetch-Site: same-origin" -F "csrf=$csrf" -F "kind=pubmed" \
                -F "file=@$1;filename=$(basename "$1")" "$base/uploads/preview")
            token=$(grep -o 'name="token" value="[^"]*"' "$work/preview.html" | head -n 1 | sed 's/.*value="//; s/"$//')
            [ "$code" = 200 ] && [ -n "$token" ] || { echo "the preview of $1 answered $code without a token"; return 1; }
            code=$(curl -s -o "$work/confirm.html" -w '%{http_code}' -H "Cookie: $office" -H "Origin: $base" \
                -H "Sec-Fetch-Site: same-origin" --data-urlencode "csrf=$csrf" --data-urlencode "token=$token" \
                "$base/uploads/confirm")
            [ "$code" = 200 ] || [ "$code" = 303 ] || { echo "the confirmation of $1 answered $code"; return 1; }
        }
        upload() {
            { upload_web "$work/upload-1.xml.gz" && upload_web "$work/upload-2.xml.gz" &&
                echo "both files checked and imported through the web"; } >"$work/upload.out" 2>&1
        }
    else
        python3 scripts/make-pubmed-bench.py --articles 30000 --pmid-offset 20000000 --out "$work/upload.xml" >/dev/null
        # Other DOIs and titles as well as PMIDs, so every article is a new paper.
        sed -i 's/\.b\([0-9][0-9]*\)</.u\1</g; s/ \[copy \([0-9][0-9]*\)\]/ [upload \1]/g' "$work/upload.xml"
        upload() { "$annals" import pubmed --db "$db" "$work/upload.xml" >"$work/upload.out" 2>&1; }
    fi
    wait_idle >/dev/null
    mix alone
    wait_idle >/dev/null
    upload &
    importer=$!
    t0=$(date +%s)
    mix during
    wait "$importer" || { echo "FAIL  the upload failed"; cat "$work/upload.out"; failed=1; }
    echo "   upload ($upload_via): $(head -n 1 "$work/upload.out") ($(($(date +%s) - t0)) s; the readers ran the first ${duration} s)"
    after=$(paper_count)
    for n in "${readers[@]}"; do
        a=$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/alone-$n.txt")")
        d=$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/during-$n.txt")")
        e=$(grep -hE 'Non-2xx|Socket errors' "$work/during-$n.txt" | tr '\n' ' ' || true)
        check "upload: $n p99 not over 2 x" "$d <= 2 * $a" "alone $a ms, during the import $d ms ${e:+; $e}"
    done
    check "upload: every article stored" "$after - $before == 30000" "papers before $before, after $after"
fi

# --- results -------------------------------------------------------------------------------------
kill "$sampler" 2>/dev/null || true
peak=$(hwm_kb)
echo
echo "== $backend, $key, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   server RSS (MB) every 5 s: $(awk '{printf "%.0f ", $2 / 1024}' "$work/rss.log")"
for n in dash-hospital dash-department dash-secretary; do
    check "p99 <= 150 ms: $n" "${p99[$n]} <= 150" "p99 ${p99[$n]} ms; one request alone ${single[$n]} ms"
done
for n in papers-p50 person api-cases; do
    check "p99 <= 100 ms: $n" "${p99[$n]} <= 100" "p99 ${p99[$n]} ms; one request alone ${single[$n]} ms"
done
echo "info  report page p99 ${p99[report]} ms, one request alone ${single[report]} ms (no target)"
check "/api/cases req/s >= 30 % of /healthz's" "${rps[api-cases]} >= 0.3 * ${rps[healthz]}" \
    "${rps[api-cases]} / ${rps[healthz]} = $(awk -v a="${rps[api-cases]}" -v b="${rps[healthz]}" 'BEGIN {printf "%.1f %%", 100 * a / b}')"
total_errors=0
for n in "${names[@]}"; do total_errors=$((total_errors + non2xx[$n] + errors[$n])); done
check "no non-2xx answer, no socket error" "$total_errors == 0" "$total_errors"
check "server peak RSS < 300 MB" "$peak / 1024 < 300" "VmHWM $(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}') MB"
if [ "$soak" -gt 0 ]; then
    echo "info  RSS after the soak's first minute $((soak_first / 1024)) MB, at its end $((soak_last / 1024)) MB"
fi
exit "$failed"
