#!/usr/bin/env bash
# The peer benchmark: Helix with every control on, against calling the mock upstream directly, a bare YARP proxy and
# Portkey's open-source gateway, in one run on this machine. Prints one markdown table (see README, Benchmarks, Peers).
#
#   bench/peers/run.sh            full run, about 5 minutes (every target: warm-up, 1/64/256 callers, saturated,
#                                 streamed, then paced steps until p99 passes 5 ms)
#   bench/peers/run.sh --quick    every phase for a second or so: a smoke of the harness itself
#   bench/peers/run.sh --smoke    the CI guard: YARP then Helix saturated for 3 s each, twice, checked against baseline.json
#                                 (--write-baseline stores this run's figures instead)
#   --no-build                    use the Release builds already there (test.sh builds the solution first)
#   --host ADDRESS                where everything listens; loopback only (127.0.0.0/8 or ::1), anything else is refused
#
# Loopback only; every process it starts is stopped by its PID when it ends (trap); each target runs under a time limit.
# Cores: the load generator and the mock share core 0, the target under test has core 1 to itself (taskset).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mode=full build=1 write_baseline=0 host=127.0.0.1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --no-build) build=0 ;;
    --write-baseline) write_baseline=1 ;;
    --host) host=${2:?--host needs an address}; shift ;;
    *) echo "usage: bench/peers/run.sh [--quick|--smoke] [--no-build] [--write-baseline] [--host 127.0.0.1]" >&2; exit 2 ;;
  esac
  shift
done
case "$host" in
  127.*|::1|localhost) ;;
  *) echo "bench/peers/run.sh runs on loopback only (127.0.0.0/8, ::1); refusing '$host'." >&2; exit 2 ;;
esac
[ "$host" = localhost ] && host=127.0.0.1
url_host=$host; [ "$host" = ::1 ] && url_host='[::1]'

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { printf '== %s\n' "$*" >&2; }
work=$(mktemp -d /tmp/helix-peers.XXXXXX)
pids=()
stop() { # stop one process we started, by PID, and wait for it
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
# Helix's durable log goes to the repository's disk, not /tmp (which may be a tmpfs, where fsync costs nothing).
mkdir -p "$root/artifacts/peers"
db_dir=$(mktemp -d "${HELIX_BENCH_DB_PARENT:-$root/artifacts/peers}/helix-db.XXXXXX")
cleanup() {
  for pid in "${pids[@]}"; do stop "$pid"; done
  rm -rf "$work" "$db_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(nproc)" -ge 2 ]; then
  load_cpu=(taskset -c 0) target_cpu=(taskset -c 1)
else
  say "one core only: nothing is pinned, so the figures mix the load generator's CPU with the target's"
  load_cpu=() target_cpu=()
fi
free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$host"; }
wait_up() { # URL, PID: until the URL answers at all, or fail when the process is gone or after 60 s
  for _ in $(seq 1 300); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    kill -0 "$2" 2>/dev/null || { say "the process behind $1 exited"; return 1; }
    sleep 0.2
  done
  say "$1 did not answer within 60 s"; return 1
}

# --- install and build -------------------------------------------------------------------------------------------
if [ "$mode" != smoke ] && [ ! -d "$here/node/node_modules/@portkey-ai/gateway" ]; then
  say "npm install (Portkey's gateway, pinned by bench/peers/node/package-lock.json)"
  (cd "$here/node" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
fi
projects=(bench/Helix.LoadGenerator bench/peers/AllocationProbe bench/peers/YarpProxy src/Helix.Gateway)
if [ "$build" = 1 ]; then
  for project in "${projects[@]}"; do
    say "dotnet build $project"
    dotnet build "$root/$project" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
  done
fi
bin() { echo "$root/$1/bin/Release/net10.0/$2"; }
load=$(bin bench/Helix.LoadGenerator Helix.LoadGenerator.dll)
probe=$(bin bench/peers/AllocationProbe AllocationProbe.dll)
yarp_dir=$(dirname "$(bin bench/peers/YarpProxy YarpProxy.dll)")
gateway=$(bin src/Helix.Gateway Helix.Gateway.dll)
for file in "$load" "$probe" "$yarp_dir/YarpProxy.dll" "$gateway"; do
  [ -f "$file" ] || { say "missing $file: run without --no-build"; exit 1; }
done

case "$mode" in
  full) targets=(direct YARP Helix Portkey); limit=150 ;;
  quick) targets=(direct YARP Helix Portkey); limit=90 ;;
  smoke) targets=(YARP Helix); limit=60 ;;
esac
clk_tck=$(getconf CLK_TCK)

# --- the mock upstream (on the load generator's core) ---------------------------------------------------------------
mock_port=$(free_port)
"${load_cpu[@]}" node "$here/mock-openai.mjs" "$mock_port" >"$work/mock.log" 2>&1 &
mock_pid=$!; pids+=("$mock_pid")
wait_up "http://$url_host:$mock_port/healthz" "$mock_pid"
mock="http://$url_host:$mock_port"

suite() { # NAME URL MODEL PID ALLOC_SOCKET [HEADER...]
  local name=$1 url=$2 model=$3 pid=$4 socket=$5; shift 5
  local out="$work/$name.json"
  [ -f "$out" ] && out="$work/$name-2.json"
  local args=(suite --name "$name" --url "$url" --model "$model" --mode "$mode" --clk-tck "$clk_tck" --out "$out")
  [ -n "$pid" ] && args+=(--pid "$pid")
  [ -n "$socket" ] && args+=(--alloc-socket "$socket")
  for header in "$@"; do args+=(--header "$header"); done
  say "$name: measuring ($mode)"
  timeout "$limit" "${load_cpu[@]}" dotnet "$load" "${args[@]}" || say "$name: some calls failed (see the table)"
  [ -f "$out" ] || { say "$name: no result"; return 1; }
}

# Each start_<target> starts one target on core 1 and fills in how to call it.
declare -A t_pid t_url t_model t_socket t_headers
start_direct() {
  t_pid[direct]="" t_url[direct]="$mock/v1/chat/completions" t_model[direct]=gpt-4o-mini t_socket[direct]="" t_headers[direct]=""
}
start_YARP() {
  local port; port=$(free_port)
  (cd "$yarp_dir" && exec "${target_cpu[@]}" env DOTNET_STARTUP_HOOKS="$probe" HELIX_BENCH_ALLOC_SOCKET="$work/yarp.sock" \
    ReverseProxy__Clusters__upstream__Destinations__mock__Address="$mock/" \
    dotnet YarpProxy.dll --urls "http://$url_host:$port") >"$work/yarp.log" 2>&1 &
  t_pid[YARP]=$!; pids+=("$!")
  wait_up "http://$url_host:$port/healthz" "${t_pid[YARP]}"
  t_url[YARP]="http://$url_host:$port/v1/chat/completions" t_model[YARP]=gpt-4o-mini t_socket[YARP]="$work/yarp.sock" t_headers[YARP]=""
}
admin=bench-admin-key-0000000000000000
start_Helix() {
  local port; port=$(free_port)
  (cd "$db_dir" && exec "${target_cpu[@]}" env DOTNET_STARTUP_HOOKS="$probe" HELIX_BENCH_ALLOC_SOCKET="$work/helix.sock" \
    Helix__AdminKey="$admin" \
    Helix__Simulator__Enabled=false \
    Helix__Storage__ConnectionString="Data Source=$db_dir/helix.db" \
    Helix__Providers__deepseek__BaseUrl="$mock/v1" \
    Helix__Providers__deepseek__ApiKey=sk-bench-not-a-real-key \
    Helix__Telemetry__OtlpEndpoint="$mock/otlp" \
    Helix__Telemetry__OtlpProtocol=http/protobuf \
    dotnet "$gateway" --urls "http://$url_host:$port") >"$work/helix.log" 2>&1 &
  t_pid[Helix]=$!; pids+=("$!")
  wait_up "http://$url_host:$port/healthz" "${t_pid[Helix]}"
  gw="http://$url_host:$port"
  # Every control on: an application key (so every call is authenticated), a live hard budget on that key, the
  # default global budget, pricing, the durable SQLite log and OpenTelemetry traces and metrics exported (OTLP).
  local created key_id
  created=$(curl -fsS -X POST "$gw/admin/api/keys" -H "Authorization: Bearer $admin" -H 'content-type: application/json' \
    -d '{"name":"bench-app","role":"app"}')
  key_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$created")
  t_headers[Helix]="Authorization: Bearer $(python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' <<<"$created")"
  curl -fsS -o /dev/null -X PUT "$gw/admin/api/budgets" -H "Authorization: Bearer $admin" -H 'content-type: application/json' \
    -d "{\"scope\":\"key\",\"subject\":\"$key_id\",\"period\":\"day\",\"limitUsd\":\"100000.00\",\"hard\":true,\"thresholds\":[0.5,0.8,1.0]}"
  t_url[Helix]="$gw/v1/chat/completions" t_model[Helix]=op:chat t_socket[Helix]="$work/helix.sock"
}
helix_evidence() { # the budgets' spend and the newest log row: every control was live
  local spent rows
  spent=$(curl -fsS "$gw/admin/api/budgets" -H "Authorization: Bearer $admin" |
    python3 -c 'import json,sys; print(", ".join("%s %s: %s USD spent" % (b["scope"], b.get("subject") or "", b["spentUsd"]) for b in json.load(sys.stdin)["items"]))' 2>/dev/null || echo "unreadable")
  rows=$(curl -fsS "$gw/admin/api/logs?limit=1" -H "Authorization: Bearer $admin" | head -c 300)
  say "Helix: the newest log row: $rows..."
  say "Helix: budgets after the run: $spent"
  say "Helix: the mock has answered and received (OTLP exports) so far: $(curl -fsS "$mock/stats")"
}
start_Portkey() {
  local port; port=$(free_port)
  (cd "$here/node" && exec "${target_cpu[@]}" node --require "$here/bind-loopback.cjs" \
    node_modules/@portkey-ai/gateway/build/start-server.js --port="$port" --headless) >"$work/portkey.log" 2>&1 &
  t_pid[Portkey]=$!; pids+=("$!")
  wait_up "http://$url_host:$port/" "${t_pid[Portkey]}"
  t_url[Portkey]="http://$url_host:$port/v1/chat/completions" t_model[Portkey]=gpt-4o-mini t_socket[Portkey]=""
  t_headers[Portkey]=$'x-portkey-provider: openai\nx-portkey-custom-host: '"$mock/v1"$'\nAuthorization: Bearer sk-bench-not-a-real-key'
}
measure() { # TARGET
  local headers=()
  if [ -n "${t_headers[$1]}" ]; then mapfile -t headers <<<"${t_headers[$1]}"; fi
  suite "$1" "${t_url[$1]}" "${t_model[$1]}" "${t_pid[$1]}" "${t_socket[$1]}" "${headers[@]}"
}

if [ "$mode" = smoke ]; then
  # Both up at once (only the one measured is busy), two rounds, so the check can ask both rounds to regress.
  start_YARP
  start_Helix
  for _ in 1 2; do measure YARP; measure Helix; done
  helix_evidence
  stop "${t_pid[Helix]}"; stop "${t_pid[YARP]}"
else
  for target in "${targets[@]}"; do
    "start_$target"
    measure "$target"
    if [ "$target" = Helix ]; then helix_evidence; fi
    if [ -n "${t_pid[$target]}" ]; then stop "${t_pid[$target]}"; fi
  done
fi

rm -f "$root/artifacts/peers/"*.json
cp "$work"/*.json "$root/artifacts/peers/"
if [ "$mode" = smoke ]; then
  check=(check --baseline "$here/baseline.json" --yarp "$work/YARP.json" --helix "$work/Helix.json" --yarp "$work/YARP-2.json" --helix "$work/Helix-2.json")
  [ "$write_baseline" = 1 ] && check+=(--write)
  dotnet "$load" "${check[@]}"
else
  files=()
  for target in "${targets[@]}"; do files+=("$work/$target.json"); done
  echo
  echo "Peer benchmark ($mode), $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), .NET $(dotnet --version), node $(node --version):"
  echo
  dotnet "$load" table "${files[@]}"
fi
