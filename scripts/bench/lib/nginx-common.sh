# nginx-common.sh — shared by the scripts that pit bulwark against an nginx peer (gateway-vs-nginx,
# ratelimit-vs-nginx): process bookkeeping and cleanup, free ports, private nginx instances, the
# bulwark process, wrk runs and CPU accounting. Sourced, never run; sourcing installs the EXIT/INT/TERM
# traps that stop everything the script started.
#
# The sourcing script sets READY_TRIES, BULWARK_BIN, BULWARK_LOG, WRK_THREADS and WRK_CONNS first;
# the functions keep their state in WORK (the run's temp dir, exported), PIDS (every process started,
# in start order), WRK_PID (a wrk in flight) and LAST_PID (the process a start_* just launched).

BENCH_NAME=${BENCH_NAME:-$(basename "$0")}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
WORK=""; PIDS=(); WRK_PID=""; LAST_PID=""

log() { echo "==> $*" >&2; }
die() { echo "$BENCH_NAME: error: $*" >&2; exit 1; }

# ---- processes ----------------------------------------------------------------------------------
# Live = exists and not a zombie (our own exited children stay zombies until reaped, and kill -0
# succeeds on them, so it cannot tell "exited" from "running").
alive() { local s; { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1; s=${s##*) }; [[ ${s:0:1} != Z ]]; }

# PIDs of the direct children of $1 (nginx workers of a master), from /proc.
children_of() {
  local f line rest
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    rest=${line##*) }; rest=${rest#* }             # after "pid (comm) state ": ppid first
    [[ ${rest%% *} == "$1" ]] && echo "${line%% *}"
  done
  return 0
}

# utime+stime (fields 14, 15 of /proc/PID/stat; clock ticks, all threads) summed over $1 and its
# direct children: nginx = master + workers; bulwark = its one process (it has no children).
cpu_ticks() {
  local total=0 pid line f
  for pid in "$1" $(children_of "$1"); do
    { read -r line <"/proc/$pid/stat"; } 2>/dev/null || continue
    read -r -a f <<<"${line##*) }"                 # f[0] = field 3, so field 14 = f[11]
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

cleanup() {
  local rc=$? pid all=() i any
  set +e
  [[ -n $WRK_PID ]] && kill -TERM "$WRK_PID" 2>/dev/null
  # Remember every nginx worker before its master goes, so none can outlive a master we SIGKILL.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}; all+=("$pid") ; all+=($(children_of "$pid"))
    kill -TERM "$pid" 2>/dev/null
  done
  for _ in $(seq 50); do                           # up to 5 s for a clean stop, then SIGKILL
    any=0; for pid in "${all[@]}"; do alive "$pid" && { any=1; break; }; done
    ((any)) || break
    sleep 0.1
  done
  for pid in "${all[@]}"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
  [[ -n $WORK ]] && rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Poll $1 until it answers 2xx; $2 = PID that must stay alive, $3 = log to show on failure.
wait_ready() {
  local url=$1 pid=$2 logf=${3:-}
  for _ in $(seq "$READY_TRIES"); do
    alive "$pid" || { [[ -f $logf ]] && tail -20 "$logf" >&2; die "process $pid exited before $url was ready"; }
    curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  [[ -f $logf ]] && tail -20 "$logf" >&2
  die "$url not ready after $READY_TRIES tries"
}

# ---- setup --------------------------------------------------------------------------------------
# nginx and wrk from Debian when missing, and the small tools every script needs.
ensure_nginx_wrk() {
  if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    log "installing nginx and wrk from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null
  fi
  local t; for t in curl python3 getconf; do command -v "$t" >/dev/null || die "$t is required"; done
}

free_ports() {  # N ports the kernel says are free; sockets held together so they are distinct
  python3 -c 'import socket,sys
ss=[socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1",0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}

# Creates WORK, readable by nginx's unprivileged workers; $1 = name prefix.
make_work_dir() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX"); export WORK
  chmod 755 "$WORK"
}

# nginx.conf for an instance in dir $1 with $2 workers; the http{} body comes on stdin, $3 is extra
# main-context lines (load_module). Everything (pid, logs, temp paths) stays in the instance's own
# prefix, so the system nginx is never touched.
nginx_conf() {
  cat <<EOF
${3:-}
daemon off;
master_process on;
worker_processes $2;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    default_type text/plain;
    keepalive_requests 1000000;   # default 1000 would close wrk's connections mid-run
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
$(cat)
}
EOF
}

start_nginx() {  # $1 = name, $2 = workers, $3 = main-context lines, http body on stdin; sets LAST_PID
  local dir="$WORK/$1"
  mkdir -p "$dir/tmp"
  nginx_conf "$dir" "$2" "${3:-}" >"$dir/nginx.conf"
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" </dev/null &
  LAST_PID=$!; PIDS+=("$LAST_PID")
}

# The upstream every target fronts: nginx answering `return 200` with a fixed body on port $1,
# $2 workers; sets LAST_PID once it answers.
start_upstream() {
  log "upstream nginx on :$1 ($2 worker(s))"
  start_nginx upstream "$2" <<EOF
    server { listen 127.0.0.1:$1; location / { return 200 "hello from upstream\n"; } }
EOF
  wait_ready "http://127.0.0.1:$1/" "$LAST_PID" "$WORK/upstream/error.log"
}

build_bulwark() {
  if [[ -n $BULWARK_BIN ]]; then
    [[ -x $BULWARK_BIN ]] || die "BULWARK_BIN=$BULWARK_BIN is not an executable"
    BULWARK_BIN=$(cd "$(dirname "$BULWARK_BIN")" && pwd)/$(basename "$BULWARK_BIN")
    return
  fi
  log "building bulwark (swift build -c release --product bulwark)"
  (cd "$ROOT" && swift build -c release --product bulwark >&2)
  BULWARK_BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/bulwark"
}

start_bulwark() {  # $1 = port, $2 = upstream port, rest = extra args; sets LAST_PID
  local port=$1 up=$2; shift 2
  # Run from the temp dir so its default state (.bulwark/) and any log files land there, not in the repo.
  (cd "$WORK" && exec "$BULWARK_BIN" serve --host 127.0.0.1 --port "$port" \
      --upstream "http://127.0.0.1:$up" "$@") >>"$BULWARK_LOG" 2>&1 </dev/null &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  wait_ready "http://127.0.0.1:$port/health/live" "$LAST_PID" "$BULWARK_LOG"
}

# HTTP status of one request; the remaining args go to curl.
status_of() { curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$@" 2>/dev/null || echo 000; }

check_relays() {  # $1 = name, $2 = url: the benign GET must come back with the upstream's body
  local body; body=$(curl -sS --max-time 2 "$2" || true)
  [[ $body == "hello from upstream" ]] || die "$1 does not relay the upstream body on /: '$body'"
}

# What a peer location does besides its own extra lines ($1): proxy to the upstream `app` over
# keep-alive HTTP/1.1 and add the two headers bulwark's default hardening adds.
proxy_lines() {
  cat <<EOF
$1            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            add_header X-Content-Type-Options nosniff always;
            add_header X-Frame-Options DENY always;
EOF
}

# http{} body of a peer proxy on port $1 in front of the upstream on $2; $3 = extra lines for
# `location /`, $4 = more server{} lines (other locations).
peer_http() {
  cat <<EOF
    upstream app { server 127.0.0.1:$2; keepalive 64; keepalive_requests 1000000; }
    server {
        listen 127.0.0.1:$1;
        location / {
$(proxy_lines "$3")
        }
${4:-}    }
EOF
}

# One line naming the machine and the tools' versions, for the report.
machine_line() {
  echo "nproc=$(nproc) kernel=$(uname -r) $(nginx -v 2>&1 | sed 's/.*: //') $( (wrk -v 2>&1 || true) | awk 'NR==1{print $1" "$2}')"
}

# ---- measuring ----------------------------------------------------------------------------------
# report.lua: wrk's done() hook prints one tab-separated line: requests, duration µs, p99 µs,
# non-2xx/3xx (wrk counts status > 399), socket errors. A response() hook would slow wrk down, so none.
write_report_lua() {
  cat >"$WORK/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH\t%d\t%d\t%.1f\t%d\t%d\n", summary.requests, summary.duration,
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
EOF
}

run_wrk() {  # $1 = duration, $2 = url, $3 = output file, $4 = lua script (report.lua); in background so a signal interrupts it
  wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$1" --latency -s "$WORK/${4:-report.lua}" "$2" >"$3" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || { cat "$3" >&2; die "wrk failed against $2"; }
  WRK_PID=""
}
