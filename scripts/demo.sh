#!/usr/bin/env bash
# The README's first command: installs, builds, starts the Jira simulator with
# demo data and runs a real sync, then shows the result.
#
#   bash scripts/demo.sh                  embedded: one process, in-process bus, SQLite
#   bash scripts/demo.sh --distributed    the four services over Kafka into PostgreSQL
#
# Env: JIRASYNC_DEMO_PROJECTS (default WRKA:2000,WMB:1000), JIRASYNC_BUILD_JOBS (2).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
mode="embedded"
[[ "${1:-}" == "--distributed" ]] && mode="distributed"
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { sed -n 2,9p "$0"; exit 0; }

projects="${JIRASYNC_DEMO_PROJECTS:-WRKA:2000,WMB:1000}"
jobs="${JIRASYNC_BUILD_JOBS:-2}"
export CCACHE_DIR="${CCACHE_DIR:-${HOME}/.cache/ccache}"
# Paths relative to the checkout, so every clone and build dir shares the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-${repo_root}}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
demo_dir="${repo_root}/.run/demo"
bin="${repo_root}/build/bin"

step() { printf '\n=== %s\n' "$*"; }

step "installing dependencies"
bash scripts/deps.sh

step "building (build/)"
# The flags of scripts/test.sh's build/: the two commands share one build tree
# and one compiler cache, so whichever runs second compiles nothing again.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DJIRASYNC_WERROR=ON >/dev/null
targets=(jirasync jirasim jirasync-world)
[[ "$mode" == distributed ]] && targets+=(jirasync-scheduler jirasync-fetcher jirasync-reconciler jirasync-writer)
cmake --build build -j "$jobs" --target "${targets[@]}"

rm -rf "$demo_dir"
mkdir -p "$demo_dir"
. scripts/world.sh
trap world_down EXIT

world_args=(--projects "$projects" --set jira.rate_per_s=0)
if [[ "$mode" == embedded ]]; then
  step "starting the Jira simulator with demo data (${projects})"
  world_up "$bin" "$demo_dir" 120 "${world_args[@]}" \
    --bus inprocess --database-url "sqlite:${demo_dir}/jirasync.db"
else
  step "starting PostgreSQL and Kafka (scripts/services.sh)"
  bash scripts/services.sh start
  eval "$(bash scripts/services.sh env)"
  step "starting the Jira simulator with demo data (${projects}) and the four services"
  world_up "$bin" "$demo_dir" 120 "${world_args[@]}" \
    --bus kafka --database-url "$JIRASYNC_TEST_PG_URL" --brokers "$JIRASYNC_TEST_KAFKA_BROKERS" \
    --topic-prefix "demo$(date +%s)."
fi
# The simulator's demo account; a real site takes JIRA_API_TOKEN from your environment.
export JIRA_API_TOKEN=jirasim-demo-token
export JIRASYNC_CONFIG="$WORLD_CONFIG"

if [[ "$mode" == embedded ]]; then
  step "full sync, all four roles in one process (jirasync run --once)"
  "${bin}/jirasync" run --once
else
  step "full sync through scheduler -> fetcher -> reconciler -> writer"
  "${bin}/jirasync" sync --full --wait
fi

step "jirasync runs"
"${bin}/jirasync" runs --limit 5
step "jirasync status"
"${bin}/jirasync" status
first_key="${projects%%:*}-1"
step "jirasync show ${first_key}"
"${bin}/jirasync" show "$first_key" | head -20
echo
echo "Done. Try: JIRASYNC_CONFIG=${JIRASYNC_CONFIG} ${bin}/jirasync --help"
