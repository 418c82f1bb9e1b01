# shellcheck shell=bash
# Shell functions shared by the web benchmarks (scripts/bench-load.sh, scripts/bench-cluster.sh).
# Sourced, not run: `. scripts/lib-web.sh`. Needs curl, awk and python3; sets no shell option of its own.

# web_free_port: prints a TCP port of 127.0.0.1 that is free now.
web_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# web_apt_install PROGRAM PACKAGE: installs PACKAGE with apt-get when PROGRAM is not on the PATH (an update of
# the package lists first only when the install fails without one).
web_apt_install() {
    command -v "$1" >/dev/null && return 0
    echo "installing $2 (apt-get) for $1" >&2
    apt-get install -y "$2" >&2 || { apt-get update >&2 && apt-get install -y "$2" >&2; }
}

# web_wait_up BASE [SECONDS]: waits until BASE/healthz answers 2xx (every 0.2 s, 60 s unless told); status 1
# when it never does.
web_wait_up() {
    local tries=$((${2:-60} * 5)) _
    for _ in $(seq 1 "$tries"); do
        curl -fs -o /dev/null "$1/healthz" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

# web_signin BASE JAR NAME PASSWORD: signs in at BASE as a browser does (the sign-in form's token, same origin)
# with cookie jar JAR, and prints the Cookie header value of the signed-in session.
web_signin() {
    local base=$1 jar=$2 csrf
    csrf=$(curl -fs -c "$jar" "$base/signin" | grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
    curl -fs -b "$jar" -c "$jar" -o /dev/null -H "Origin: $base" -H "Sec-Fetch-Site: same-origin" \
        --data-urlencode "csrf=$csrf" --data-urlencode "name=$3" --data-urlencode "password=$4" \
        --data-urlencode "next=/" "$base/signin"
    awk '!/^#/ || /^#HttpOnly_/ {if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7}' "$jar"
}

# web_to_ms VALUE: a wrk duration (850.00us, 12.5ms, 1.20s, 1.5m) in milliseconds; NA for nothing.
web_to_ms() {
    awk -v v="$1" 'BEGIN { if (v == "") print "NA"; else if (v ~ /us$/) printf "%.2f", v / 1000;
        else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /m$/) printf "%.2f", v * 60000; else printf "%.2f", v * 1000 }'
}

# web_busiest_person ANNALS DB: the general-surgery person credited on the most papers (empty when none is),
# for the /people/ID route of the benchmarks.
web_busiest_person() {
    "$1" publications --db "$2" --department general-surgery --format json | python3 -c '
import json, sys, collections
c = collections.Counter()
for p in json.load(sys.stdin):
    for a in p.get("authors", []):
        if a.get("person"): c[a["person"]] += 1
print(c.most_common(1)[0][0] if c else "")'
}
