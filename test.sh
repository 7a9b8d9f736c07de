#!/usr/bin/env bash
# Runs every Helix test suite on a fresh machine: installs what is missing, builds once, runs each test
# project with coverage, prints line coverage and ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

say() { printf '\n== %s\n' "$*"; }
results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet (SDK 10) is required: install the .NET 10 SDK, then run ./test.sh again." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

need_apt=()
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# The peer benchmark's smoke runs its mock upstream on node and calls it with curl.
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
# The dashboard's browser tests drive Debian's chromium (Playwright never downloads a browser).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "Installing ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# A private PostgreSQL for the PostgreSQL store tests (HELIX_TEST_POSTGRES), stopped by PID however the run ends.
# shellcheck source=tools/test-postgres.sh
. tools/test-postgres.sh
if [ -z "${HELIX_TEST_POSTGRES:-}" ]; then
  say "PostgreSQL"
  trap 'helix_pg_stop' EXIT
  helix_pg_start || echo "Continuing without PostgreSQL: its tests will be skipped."
fi

say "Restore"
if ! dotnet restore Helix.slnx --nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi

say "Build (warnings are errors)"
if ! dotnet build Helix.slnx -c Release --no-restore --nologo -v quiet -clp:ErrorsOnly; then
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  say "Test $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results/$name" \
    --collect "XPlat Code Coverage" --settings coverage.runsettings \
    -- RunConfiguration.TreatNoTestsAsError=false || status=1
done

# Helix against a bare YARP proxy for seconds, twice: fails only on a gross regression in both rounds (CPU per request,
# as a ratio to YARP's, or allocated bytes per request, more than 2x bench/peers/baseline.json); one test in the summary.
say "Peer benchmark smoke (bench/peers/run.sh --smoke)"
python3 tools/command_trx.py "$results/PeersSmoke" PeersSmoke -- bench/peers/run.sh --smoke --no-build || status=1

say "Coverage"
python3 tools/coverage.py "$results" || true

say "Summary"
python3 tools/trx_summary.py "$results"
summary_status=$?
if [ $status -ne 0 ] || [ $summary_status -ne 0 ]; then
  exit 1
fi
