#!/usr/bin/env bash
# Several `annals serve` behind nginx on one PostgreSQL registry, one of them killed mid-load and restarted
# (issue 20, "Load", second point; figures in docs/benchmark.md, "Several servers behind nginx (issue 20)").
# A benchmark with checks, not a unit test; it changes nothing outside its temporary folder.
#
# 1. Installs what is missing (apt-get: nginx, wrk, postgresql). Starts a throw-away PostgreSQL
#    (scripts/pg-test-server.sh) and builds the registry in it: `annals demo` of Samples/ into a folder, then
#    `annals migrate-store` into a new database; adds an office account and an API token for it.
# 2. Starts --servers (3) `annals serve --db URL --port P_i`, then nginx as this user with its own config, pid,
#    logs and temporary folders in the temporary folder (`nginx -c CONF -p DIR`), on a free port of 127.0.0.1:
#    one upstream of the servers, round robin, `proxy_next_upstream error timeout http_502`. nginx never passes
#    a POST it has already sent to the next server (kept so: a write must never be sent twice); a POST that
#    could not be sent (connection refused) goes to the next one. Its access log names the server of every
#    request; the answer says it too (X-Annals-Upstream, this bench's config only).
# 3. Signs in once through nginx (the session lives in the registry) and checks that the session cookie is
#    honoured by every server asked directly.
# 4. For --duration seconds (30): readers, wrk through nginx (2 threads, 32 connections, the session cookie)
#    cycling the dashboard of general-surgery, its paper list, a person's page and /api/cases?procedure=
#    appendectomy&by=year; writers, --writers (3) loops of POST /api/tallies through nginx (API token), each
#    write numbered: its own day (from 2050-01-01 on) and note "bench-cluster write N"; each answer's status,
#    time and server recorded.
# 5. At --kill-at (10) s `kill -9` one server (the second); at --restart-at (15) s starts it again on its port.
# 6. Then, PASS/FAIL: wrk saw no non-2xx answer and no socket error; every GET in nginx's log answered 200;
#    every write answered 201 is stored exactly once (the tally export and the change log: one addition, no
#    correction); no write is stored twice; every stored bench tally is one that was sent; a write answered
#    otherwise is stored once or not at all (which is printed, with the server that had it); no write reached
#    two servers (nginx's X-Request-Id of each POST once in the servers' JSON logs: a tally's id is its series
#    and period, so the same write replayed would be answered 201 and change nothing in the registry); the
#    restarted server takes requests again and honours the session; every server answers the same case figure
#    for the bench's days, counting every stored write; `annals check` finds nothing wrong.
#    Information: requests per server in 5 s steps, nginx's retries away from the killed server, write times.
#
# Usage: scripts/bench-cluster.sh --annals PATH [--servers N] [--writers N] [--duration S] [--kill-at S]
#                                 [--restart-at S] [--postgres URL] [--keep]
#   --annals PATH   the annals binary (debug or release); required (this script builds nothing)
#   --postgres URL  a PostgreSQL server to use (postgres://USER[:PASS]@HOST:PORT/DB; a database
#                   annals_cluster_<pid> is made next to DB and dropped afterwards) instead of a throw-away one
#   --keep          keep the temporary folder (logs, nginx config, the writers' records) and say where
#   --duration must be at least --kill-at + 15 and --restart-at + 5: nginx tries a failed server again only
#   10 s after its failure, and the run must see the restarted one take requests.
# Exit status 1 when a check fails, 2 when it could not run.
set -euo pipefail

annals="" servers=3 writers=3 duration=30 kill_at=10 restart_at=15 pg="" keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --annals) annals=$2; shift ;;
        --servers) servers=$2; shift ;;
        --writers) writers=$2; shift ;;
        --duration) duration=$2; shift ;;
        --kill-at) kill_at=$2; shift ;;
        --restart-at) restart_at=$2; shift ;;
        --postgres) pg=$2; shift ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,41p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-cluster: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
die() { echo "bench-cluster: $*" >&2; exit 2; }
[ -n "$annals" ] || die "--annals PATH is required (a debug or release build of annals)"
[ -x "$annals" ] || die "no annals binary at $annals"
annals=$(readlink -f "$annals")
[ "$servers" -ge 2 ] || die "--servers takes 2 or more"
if [ "$kill_at" -ge "$restart_at" ] || [ "$restart_at" -ge "$duration" ]; then
    die "need --kill-at < --restart-at < --duration"
fi
# nginx leaves a failed server out for fail_timeout (10 s) and only then tries it again: the run must go on past that.
if [ "$duration" -lt $((kill_at + 15)) ] || [ "$duration" -lt $((restart_at + 5)) ]; then
    die "--duration must be at least --kill-at + 15 and --restart-at + 5 (nginx tries a failed server again after 10 s)"
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
# shellcheck source=scripts/lib-web.sh
. scripts/lib-web.sh

web_apt_install nginx nginx
web_apt_install wrk wrk
if [ -z "$pg" ] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    web_apt_install pg_ctlcluster postgresql
fi
for tool in nginx wrk curl python3 psql; do command -v $tool >/dev/null || die "$tool is missing"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/annals-cluster.XXXXXX")
declare -a pids ports
pg_dir="" nginx_conf="" dropped="" wrk_pid="" writer_pids=()
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    local pid
    for pid in "${writer_pids[@]}" "$wrk_pid" "${pids[@]}"; do
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    done
    if [ -n "$nginx_conf" ] && [ -f "$work/nginx/nginx.pid" ]; then
        kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
    fi
    if [ -n "$dropped" ]; then psql "${pg%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$dropped\"" >/dev/null 2>&1 || true; fi
    if [ -n "$pg_dir" ]; then scripts/pg-test-server.sh stop "$pg_dir" || true; fi
    if [ "$keep" -eq 1 ]; then echo "== kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. PostgreSQL and the registry -------------------------------------------------------------
if [ -z "$pg" ]; then
    pg_dir="$work/pg"
    pg=$(scripts/pg-test-server.sh start "$pg_dir") || die "could not start a PostgreSQL server"
fi
# The password goes to annals (and psql) through PGPASSWORD, not their arguments.
if [[ "$pg" =~ ^(postgres(ql)?://)([^:@/]+):([^@/]*)@(.*)$ ]]; then
    export PGPASSWORD="${BASH_REMATCH[4]}"
    pg="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
fi
db="${pg%/*}/annals_cluster_$$"
[ -n "$pg_dir" ] || dropped="annals_cluster_$$"
echo "== registry: annals demo (Samples/), then annals migrate-store into ${db}"
t0=$(date +%s)
"$annals" demo --out "$work/demo" --samples "$repo/Samples" >"$work/demo.out" 2>&1 || { cat "$work/demo.out" >&2; die "annals demo failed"; }
"$annals" migrate-store --from "$work/demo/annals.sqlite" --to "$db" >"$work/migrate.out" 2>&1 \
    || { cat "$work/migrate.out" >&2; die "annals migrate-store failed"; }
printf 'office-cluster-password\n' | "$annals" user add --db "$db" cluster-office --role office --password-stdin >/dev/null
token=$("$annals" token create --db "$db" cluster-office 2>/dev/null)
[ -n "$token" ] || die "no API token"
echo "   $(tail -n 1 "$work/migrate.out") ($(($(date +%s) - t0)) s)"

# A person of general-surgery with credited papers, for /people/ID.
person=$(web_busiest_person "$annals" "$db")
[ -n "$person" ] || die "no paper of general-surgery is credited to a person"

# --- 2. the servers and nginx -------------------------------------------------------------------
start_server() { # start_server I: annals serve on ports[I], its pid in pids[I]
    "$annals" serve --db "$db" --port "${ports[$1]}" >>"$work/serve-$1.out" 2>>"$work/serve-$1.err" &
    pids[$1]=$!
}
for i in $(seq 1 "$servers"); do
    ports[i]=$(web_free_port)
    start_server "$i"
done
for i in $(seq 1 "$servers"); do
    web_wait_up "http://127.0.0.1:${ports[i]}" 120 || { cat "$work/serve-$i.err" >&2; die "annals serve $i did not answer"; }
done

mkdir -p "$work/nginx/tmp"
front_port=$(web_free_port)
front="http://127.0.0.1:$front_port"
nginx_conf="$work/nginx/nginx.conf"
{
    # As root, nginx's workers would otherwise run as www-data, which cannot reach this folder.
    if [ "$(id -u)" -eq 0 ]; then echo "user $(id -un) $(id -gn);"; fi
    cat <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
    log_format cluster '\$msec \$request_method "\$request_uri" \$status "\$upstream_addr" "\$upstream_status" \$request_time';
    access_log $work/nginx/access.log cluster;
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    upstream annals {
        # Round robin; a server that fails once is left out for 10 s (nginx's defaults, written out).
$(for i in $(seq 1 "$servers"); do echo "        server 127.0.0.1:${ports[i]} max_fails=1 fail_timeout=10s;"; done)
    }
    server {
        listen 127.0.0.1:$front_port;
        client_max_body_size 64m;
        location / {
            proxy_pass http://annals;
            proxy_http_version 1.1;
            # \$http_host keeps the port, so the Origin of a form (http://127.0.0.1:$front_port) is the
            # server's own; docs/install.md's site on port 443 uses \$host.
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_set_header X-Request-Id \$request_id;
            proxy_read_timeout 300s;
            proxy_request_buffering off;
            # A request the server could not take (refused, reset before the answer, 502) goes to the next
            # server: a GET always; a POST only when nothing of it was sent (nginx's rule for
            # non-idempotent methods; proxy_next_upstream non_idempotent is deliberately not set).
            proxy_next_upstream error timeout http_502;
            add_header X-Annals-Upstream \$upstream_addr always;
        }
    }
}
EOF
} >"$nginx_conf"
nginx -t -q -c "$nginx_conf" -p "$work/nginx" -e "$work/nginx/error.log" || die "nginx refuses its configuration"
nginx -c "$nginx_conf" -p "$work/nginx" -e "$work/nginx/error.log" || die "nginx did not start"
web_wait_up "$front" 30 || die "nginx does not answer on $front"

# --- 3. one sign-in through nginx, honoured by every server -------------------------------------
cookie=$(web_signin "$front" "$work/jar" cluster-office office-cluster-password)
[[ "$cookie" == *annals_session=* ]] || die "could not sign in through nginx"
failed=0
check() { # check NAME OK(0/1) DETAIL
    if [ "$2" -eq 1 ]; then echo "PASS  $1  ($3)"; else echo "FAIL  $1  ($3)"; failed=1; fi
}
session_everywhere() { # session_everywhere LABEL: the cookie on every server directly
    local i code codes="" ok=1
    for i in $(seq 1 "$servers"); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" \
            "http://127.0.0.1:${ports[i]}/papers?department=general-surgery")
        codes+="${codes:+, }:${ports[i]} $code"
        [ "$code" = 200 ] || ok=0
    done
    check "$1" "$ok" "/papers of each server directly: $codes"
}
session_everywhere "the session made through nginx is honoured by every server"

routes=("/?department=general-surgery" "/papers?department=general-surgery" "/people/$person"
    "/api/cases?procedure=appendectomy&by=year")
for r in "${routes[@]}"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$front$r")
    [ "$code" = 200 ] || die "$r answers $code through nginx when signed in"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$front/api/history?since=2000-01-01")
[ "$code" = 200 ] || die "the API token is refused ($code)"

# --- 4. and 5. readers, writers, a server killed and restarted ----------------------------------
cat >"$work/readers.lua" <<EOF
local paths = { $(printf '"%s", ' "${routes[@]}") }
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", paths[(i % #paths) + 1])
end
EOF
day0=$(date -u -d 2050-01-01 +%s)
# writer W: numbered writes (N = index + 1, index = round * writers + W - 1) until the end of the run.
writer() {
    local w=$1 round=0 idx day started answer
    while [ "$(date +%s%3N)" -lt "$end_ms" ] && [ "$round" -lt $((18000 / writers)) ]; do
        idx=$((round * writers + w - 1))
        day=$(date -u -d "@$((day0 + idx * 86400))" +%F)
        started=$(date +%s%3N)
        answer=$(curl -s -o "$work/writes/$((idx + 1)).body" --max-time 300 \
            -w '%{http_code} %{time_total} %header{x-annals-upstream}' \
            -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            --data "{\"procedure\":\"appendectomy\",\"approach\":\"open\",\"department\":\"general-surgery\",\"from\":\"$day\",\"to\":\"$day\",\"count\":1,\"source\":\"bench-cluster\",\"note\":\"bench-cluster write $((idx + 1))\"}" \
            "$front/api/tallies" || true)
        echo "$((idx + 1)) $day $started $answer" >>"$work/writes-$w.log"
        round=$((round + 1))
    done
}
mkdir -p "$work/writes"
victim=2
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== $servers servers (ports ${ports[*]:1}) behind nginx $front; person $person; load average $load_start"
echo "== ${duration} s: wrk (2 threads, 32 connections) on ${#routes[@]} routes, $writers writers;" \
    "kill -9 server $victim (:${ports[victim]}) at ${kill_at} s, restart at ${restart_at} s"
t0_ms=$(date +%s%3N)
end_ms=$((t0_ms + duration * 1000))
wrk -t2 -c32 -d"${duration}s" --timeout 30s --latency -H "Cookie: $cookie" -s "$work/readers.lua" "$front" \
    >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
for w in $(seq 1 "$writers"); do
    writer "$w" &
    writer_pids+=($!)
done
sleep_until() { # sleep_until MS (since t0)
    local left=$(($1 - ($(date +%s%3N) - t0_ms)))
    if [ "$left" -gt 0 ]; then sleep "$(awk -v l="$left" 'BEGIN {printf "%.3f", l / 1000}')"; fi
}
sleep_until $((kill_at * 1000))
kill_ms=$(date +%s%3N)
kill -9 "${pids[victim]}"
wait "${pids[victim]}" 2>/dev/null || true
since() { awk -v ms="$(($1 - t0_ms))" 'BEGIN {printf "%.1f s", ms / 1000}'; }
echo "   $(since "$kill_ms"): killed server $victim (pid ${pids[victim]})"
pids[victim]=""
sleep_until $((restart_at * 1000))
restart_ms=$(date +%s%3N)
start_server "$victim"
if web_wait_up "http://127.0.0.1:${ports[victim]}" 60; then
    up_ms=$(date +%s%3N)
    echo "   $(since "$restart_ms"): restarted server $victim (pid ${pids[victim]}), answering after $((up_ms - restart_ms)) ms"
else
    up_ms=""
    echo "   the restarted server $victim did not answer within 60 s"
fi
wait "$wrk_pid" || true
wrk_pid=""
for pid in "${writer_pids[@]}"; do wait "$pid" || true; done
writer_pids=()
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 6. what was answered, what is stored -------------------------------------------------------
echo
echo "== readers (wrk through nginx)"
awk '/^ +Latency +[0-9]/ {print "   latency: mean " $2 ", stdev " $3 ", max " $4}
    $1 ~ /^(50|75|90|99)%$/ {d = d " " $1 " " $2} /requests in/ {r = $0} /^Requests\/sec/ {q = $2}
    END {print "   latency distribution:" d; print "  " r " (" q " requests/s)"}' "$work/wrk.txt"
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt"); non2xx=${non2xx:-0}
sockerr=$(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$work/wrk.txt"); sockerr=${sockerr:-0}
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
[ -n "$requests" ] || { cat "$work/wrk.txt" >&2; die "wrk did not run"; }

"$annals" export --db "$db" --format csv --table tallies >"$work/tallies.csv"
"$annals" history --db "$db" --format json >"$work/history.json"
if "$annals" check --db "$db" >"$work/check.out" 2>&1; then registry_ok=1; else registry_ok=0; fi
session_everywhere "after the run (the restarted server too), the session is honoured by every server"
# The same figure from every server directly, counting every stored bench tally (one operation each).
for i in $(seq 1 "$servers"); do
    curl -s -H "Authorization: Bearer $token" -o "$work/figure-$i.json" \
        "http://127.0.0.1:${ports[i]}/api/cases?procedure=appendectomy&approach=open&department=general-surgery&from=2050-01-01&to=2100-12-31"
done

check "readers: no non-2xx answer, no socket error" "$((non2xx + sockerr == 0 ? 1 : 0))" \
    "$requests requests, non-2xx $non2xx, socket errors $sockerr"
check "annals check finds nothing wrong" "$registry_ok" "$(tail -n 1 "$work/check.out")"
echo
python3 - "$work" "$t0_ms" "$kill_ms" "$restart_ms" "${up_ms:-0}" "${ports[victim]}" "${ports[*]:1}" "$duration" <<'EOF' || failed=1
import csv, glob, json, re, sys, collections
work, t0, kill, restart, up, victim, ports = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6], sys.argv[7].split()
victim_addr = "127.0.0.1:" + victim
name = {"127.0.0.1:" + p: "server %d (:%s)" % (i + 1, p) for i, p in enumerate(ports)}
failed = False
def check(label, ok, detail):
    global failed
    print("%s  %s  (%s)" % ("PASS" if ok else "FAIL", label, detail))
    failed |= not ok
def s(ms): return "%.1f s" % ((ms - t0) / 1000)

# The writers' records: N day started-ms status seconds upstream(s)
writes = {}
for path in glob.glob(work + "/writes-*.log"):
    for line in open(path):
        f = line.split(None, 5)
        writes[int(f[0])] = dict(day=f[1], started=int(f[2]), status=f[3], seconds=float(f[4]),
                                 upstream=f[5].strip() if len(f) > 5 else "")
# What the registry holds: tallies by note, and the change log's operations on them.
stored = collections.Counter()
tally_note = {}
for row in csv.DictReader(open(work + "/tallies.csv", encoding="utf-8-sig")):
    m = re.fullmatch(r"bench-cluster write (\d+)", row.get("note") or "")
    if m:
        stored[int(m.group(1))] += 1
        tally_note[row["id"]] = int(m.group(1))
ops = collections.defaultdict(collections.Counter)
for change in json.load(open(work + "/history.json")):
    for r in change["records"]:
        note = None
        for body in (r.get("after"), r.get("before")):
            if isinstance(body, dict) and isinstance(body.get("note"), str):
                note = body["note"]
        m = re.fullmatch(r"bench-cluster write (\d+)", note or "")
        n = int(m.group(1)) if m else tally_note.get(r["id"])
        if n is not None:
            ops[n][r["operation"]] += 1

by_status = collections.Counter(w["status"] for w in writes.values())
print("== writers: %d writes through nginx; answers %s" % (len(writes), ", ".join("%s: %d" % kv for kv in sorted(by_status.items()))))
per_server = collections.Counter()
for w in writes.values():
    if w["status"] == "201":
        per_server[name.get(w["upstream"].split(", ")[-1], w["upstream"])] += 1
print("   201 by server: " + ", ".join("%s %d" % kv for kv in sorted(per_server.items())))
times = sorted(w["seconds"] for w in writes.values() if w["status"] == "201")
if times:
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
    print("   time of a write answered 201: median %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms" %
          (q(.5) * 1000, q(.9) * 1000, q(.99) * 1000, times[-1] * 1000))
retried_posts = [n for n, w in writes.items() if "," in w["upstream"]]
if retried_posts:
    print("   writes nginx passed to another server after the first refused the connection: %d (%s)" %
          (len(retried_posts), ", ".join("#%d %s -> %s" % (n, writes[n]["upstream"], writes[n]["status"]) for n in sorted(retried_posts)[:5])))

ok201 = [n for n, w in writes.items() if w["status"] == "201"]
bad201 = [n for n in ok201 if stored[n] != 1 or ops[n]["added"] != 1 or sum(ops[n].values()) != 1]
check("every write answered 201 is stored exactly once (export and change log)", not bad201,
      "%d answered 201; %d not stored exactly once%s" % (len(ok201), len(bad201),
      (": " + ", ".join("#%d stored %d, log %s" % (n, stored[n], dict(ops[n])) for n in bad201[:10])) if bad201 else ""))
doubled = [n for n in set(stored) | set(ops) if stored[n] > 1 or ops[n]["added"] > 1 or ops[n]["replaced"] > 0]
check("no write is stored twice (nor corrected by a replay)", not doubled,
      "%d bench tallies stored, %d written twice%s" % (sum(stored.values()), len(doubled),
      (": " + ", ".join("#%d" % n for n in sorted(doubled)[:10])) if doubled else ""))
unknown = [n for n in stored if n not in writes]
check("every stored bench tally is one a writer sent", not unknown, "%d unknown" % len(unknown))
errors = sorted(n for n, w in writes.items() if w["status"] != "201")
lines = []
for n in errors:
    w = writes[n]
    lines.append("#%d %s at %s by %s (%.2f s): %s" % (n, w["status"], s(w["started"]), w["upstream"] or "no server",
                 w["seconds"], "stored once" if stored[n] == 1 else "not stored" if stored[n] == 0 else "stored %d times" % stored[n]))
check("a write answered otherwise is stored once or not at all", all(stored[n] <= 1 for n in errors),
      "%d such writes" % len(errors))
for line in lines:
    print("      " + line)

def figure(i):
    try: return json.load(open("%s/figure-%d.json" % (work, i + 1)))
    except ValueError: return {}
figures = [figure(i) for i in range(len(ports))]
counts = [f.get("count") for f in figures]
check("every server answers the same figure, counting every stored write", all(f == figures[0] for f in figures)
      and counts[0] == sum(stored.values()),
      "/api/cases?procedure=appendectomy&approach=open&department=general-surgery&from=2050-01-01&to=2100-12-31 "
      "from each server directly: count %s; %d bench tallies stored" % (counts, sum(stored.values())))

# The servers' own logs (one JSON line per request, with nginx's X-Request-Id): a POST that reached two
# servers would show its id twice. This is the only trace a replay would leave: a tally's id is its series and
# period, so the same write sent again is answered 201 and changes nothing (no second row, no change logged).
handled = collections.Counter()
posts_by_server = collections.Counter()
for i, p in enumerate(ports):
    for line in open("%s/serve-%d.err" % (work, i + 1), errors="replace"):
        try: entry = json.loads(line)
        except ValueError: continue
        if entry.get("route") == "/api/tallies" and entry.get("method") == "POST":
            handled[entry.get("request_id")] += 1
            posts_by_server[name["127.0.0.1:" + p]] += 1
twice = [rid for rid, c in handled.items() if c > 1]
check("no write reached two servers (its X-Request-Id in the servers' logs once)", not twice and sum(handled.values()) <= len(writes),
      "%d POST /api/tallies logged by the servers (%s) for %d sent; %d ids logged twice" %
      (sum(handled.values()), ", ".join("%s %d" % kv for kv in sorted(posts_by_server.items())), len(writes), len(twice)))

# nginx: every request with its server(s).
reqs = []
for line in open(work + "/nginx/access.log"):
    m = re.match(r'(\S+) (\S+) "([^"]*)" (\d+) "([^"]*)" "([^"]*)" (\S+)', line)
    if m:
        reqs.append(dict(at=int(float(m.group(1)) * 1000), method=m.group(2), uri=m.group(3), status=m.group(4),
                         upstream=m.group(5), ustatus=m.group(6), time=float(m.group(7))))
run = [r for r in reqs if t0 <= r["at"] <= t0 + 3600 * 1000 and (r["method"] == "POST" or r["uri"] != "/healthz")]
gets = [r for r in run if r["method"] == "GET"]
# wrk closes its connections at the end of the run without waiting for the answers under way: nginx logs
# those as 499 (client closed the request). Any other answer but 200 is a failure.
end = t0 + int(sys.argv[8]) * 1000 - 500
closed = [r for r in gets if r["status"] == "499" and r["at"] >= end]
bad_gets = collections.Counter(r["status"] for r in gets if r["status"] != "200" and r not in closed)
check("every GET through nginx answered 200 (the session honoured by whichever server took it)", not bad_gets,
      "%d GETs in nginx's log, %d of them left unanswered when wrk stopped (499); others: %s" %
      (len(gets), len(closed), dict(bad_gets) or "none"))
retried = [r for r in gets if "," in r["upstream"]]
on_victim = [r for r in retried if r["upstream"].startswith(victim_addr)]
print("   GETs nginx passed on to another server: %d (%d first sent to the killed server: upstream status %s)" %
      (len(retried), len(on_victim), dict(collections.Counter(r["ustatus"] for r in on_victim))))
after = [r for r in run if r["upstream"].split(", ")[-1] == victim_addr and r["at"] > restart and int(r["status"]) < 300]
check("the restarted server takes requests again", bool(after),
      "%d requests answered by it after the restart%s" % (len(after), (", the first at " + s(min(r["at"] for r in after))) if after else ""))
def kind(line):
    what = re.sub(r"^.*?\*\d+ ", "", line).split(" while ")[0].split(", client:")[0]
    method = re.search(r'request: "(\w+)', line)
    server = re.search(r'upstream: "http://([^/"]+)', line)
    return "%s (%s, %s)" % (what.strip(), method.group(1) if method else "-",
                            name.get(server.group(1), server.group(1)) if server else "-")
logged = collections.Counter(kind(l) for l in open(work + "/nginx/error.log") if re.search(r"\[(error|warn|crit)\]", l))
print("   nginx's error log: " + ("; ".join("%s: %d" % kv for kv in sorted(logged.items())) or "nothing"))
print("   requests answered per server (final server of each) in 5 s steps from the start:")
steps = collections.defaultdict(collections.Counter)
for r in run:
    steps[(r["at"] - t0) // 5000][name.get(r["upstream"].split(", ")[-1], r["upstream"] or "-")] += 1
cols = [name["127.0.0.1:" + p] for p in ports]
print("      %-10s %s" % ("from", " ".join("%16s" % c for c in cols)))
for k in sorted(steps):
    print("      %-10s %s" % ("%d s" % (k * 5), " ".join("%16d" % steps[k][c] for c in cols)))
print("   killed at %s, restarted at %s, answering again at %s" % (s(kill), s(restart), s(up) if up else "never"))
sys.exit(1 if failed else 0)
EOF

echo
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average at the start $load_start, at the end $load_end"
echo "   annals: $annals ($(stat -c %s "$annals") bytes); nginx $(nginx -v 2>&1 | sed 's/.*\///'); wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}')"
exit "$failed"
