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
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
targets=(jirasync jirasim)
[[ "$mode" == distributed ]] && targets+=(jirasync-scheduler jirasync-fetcher jirasync-reconciler jirasync-writer)
cmake --build build -j "$jobs" --target "${targets[@]}"

rm -rf "$demo_dir"
mkdir -p "$demo_dir"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

step "starting the Jira simulator with demo data (${projects})"
"${bin}/jirasim" --port 0 --port-file "${demo_dir}/sim.port" --projects "$projects" \
  >"${demo_dir}/jirasim.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  [[ -s "${demo_dir}/sim.port" ]] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "${demo_dir}/jirasim.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s "${demo_dir}/sim.port" ]] || { echo "jirasim did not start; see ${demo_dir}/jirasim.log" >&2; exit 1; }
sim_port="$(cat "${demo_dir}/sim.port")"

project_yaml=""
IFS=',' read -ra specs <<<"$projects"
for spec in "${specs[@]}"; do
  [[ -n "$project_yaml" ]] && project_yaml+=$'\n'
  project_yaml+="  - key: ${spec%%:*}"
done

# The simulator's demo account; a real site takes JIRA_API_TOKEN from your environment.
export JIRA_API_TOKEN=jirasim-demo-token
export JIRASYNC_CONFIG="${demo_dir}/jirasync.yaml"
cat >"$JIRASYNC_CONFIG" <<YAML
jira:
  base_url: http://127.0.0.1:${sim_port}
  email: demo@jirasim.test
  rate_per_s: 0
projects:
${project_yaml}
YAML

if [[ "$mode" == embedded ]]; then
  cat >>"$JIRASYNC_CONFIG" <<YAML
database_url: sqlite:${demo_dir}/jirasync.db
bus: inprocess
YAML
  step "full sync, all four roles in one process (jirasync run --once)"
  "${bin}/jirasync" run --once
else
  step "starting PostgreSQL and Kafka (scripts/services.sh)"
  bash scripts/services.sh start
  eval "$(bash scripts/services.sh env)"
  cat >>"$JIRASYNC_CONFIG" <<YAML
database_url: ${JIRASYNC_TEST_PG_URL}
bus: kafka
kafka:
  brokers: ${JIRASYNC_TEST_KAFKA_BROKERS}
  topic_prefix: demo$(date +%s).
YAML
  for role in scheduler fetcher reconciler writer; do
    "${bin}/jirasync-${role}" >"${demo_dir}/${role}.log" 2>&1 &
    pids+=($!)
  done
  step "full sync through scheduler -> fetcher -> reconciler -> writer"
  "${bin}/jirasync" sync --full --wait
fi

step "jirasync runs"
"${bin}/jirasync" runs --limit 5
step "jirasync status"
"${bin}/jirasync" status
first_key="${specs[0]%%:*}-1"
step "jirasync show ${first_key}"
"${bin}/jirasync" show "$first_key" | head -20
echo
echo "Done. Try: JIRASYNC_CONFIG=${JIRASYNC_CONFIG} ${bin}/jirasync --help"
