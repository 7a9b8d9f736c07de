#!/usr/bin/env bash
# Measures the gateway's added latency and throughput against calling the simulator directly, at fixed concurrency.
# Everything runs on loopback; each phase is bounded in time. Usage: bench/load.sh [concurrency=16] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${1:-16}
seconds=${2:-10}
sim_port=${SIM_PORT:-18091}
gw_port=${GW_PORT:-18090}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release --nologo -v quiet src/Helix.Gateway >/dev/null
dotnet build -c Release --nologo -v quiet bench/Helix.LoadGenerator >/dev/null
sim=src/Helix.Simulator/bin/Release/net10.0/Helix.Simulator.dll
gw=src/Helix.Gateway/bin/Release/net10.0/Helix.Gateway.dll
load=bench/Helix.LoadGenerator/bin/Release/net10.0/Helix.LoadGenerator.dll

Logging__LogLevel__Default=Warning dotnet "$sim" --urls "http://127.0.0.1:$sim_port" >"$work/sim.log" 2>&1 &
( cd "$work" && Logging__LogLevel__Default=Warning \
  Helix__Simulator__Enabled=false \
  Helix__AdminKey=load-test-admin-key-000000 \
  Helix__Storage__ConnectionString="Data Source=$work/helix.db" \
  Helix__Providers__deepseek__BaseUrl="http://127.0.0.1:$sim_port/deepseek" \
  Helix__Providers__gemini__BaseUrl="http://127.0.0.1:$sim_port/gemini/v1beta" \
  dotnet "$OLDPWD/$gw" --urls "http://127.0.0.1:$gw_port" >"$work/gw.log" 2>&1 ) &

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$gw_port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

body='{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"Summarise the quarterly report in three bullet points."}],"max_tokens":32}'
gw_body='{"model":"op:chat","messages":[{"role":"user","content":"Summarise the quarterly report in three bullet points."}],"max_tokens":32}'

echo "direct to the simulator:"
dotnet "$load" "http://127.0.0.1:$sim_port/deepseek/chat/completions" "$body" "$concurrency" "$seconds" 2
echo "through the gateway (route, estimate, call, price, group-committed log):"
dotnet "$load" "http://127.0.0.1:$gw_port/v1/chat/completions" "$gw_body" "$concurrency" "$seconds" 2
rows=$(curl -fsS -H "Authorization: Bearer load-test-admin-key-000000" "http://127.0.0.1:$gw_port/admin/api/logs?limit=1" | head -c 200)
echo "last log row: ${rows}..."
