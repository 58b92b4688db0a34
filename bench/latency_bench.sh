#!/usr/bin/env bash
# Cold full sync against a slow Jira: wall time against the bound
# max(calls / rate, calls * latency / concurrency). Embedded mode (SQLite,
# in-process bus): the pipeline's CPU is not the limit here, Jira's latency is.
#
#   bash bench/latency_bench.sh [BUILD_DIR] [--issues 10000] [--latency-ms 300,1000]
#        [--concurrency 8] [--rate 0] [--burst 20]
#
# Builds nothing: BUILD_DIR (default build) must hold bin/jirasim and bin/jirasync.
# Prints one Markdown table row per latency. Everything it starts is stopped on exit.
set -euo pipefail

build=build
issues=10000
latencies=300,1000
concurrency=8
rate=0
burst=20
if [[ $# -gt 0 && $1 != --* ]]; then build=$1 && shift; fi
while [[ $# -gt 0 ]]; do
  case $1 in
    --issues) issues=$2 && shift 2 ;;
    --latency-ms) latencies=$2 && shift 2 ;;
    --concurrency) concurrency=$2 && shift 2 ;;
    --rate) rate=$2 && shift 2 ;;
    --burst) burst=$2 && shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" && exit 0 ;;
    *) echo "latency_bench: unknown argument $1 (see --help)" >&2 && exit 2 ;;
  esac
done
bin="${build}/bin"
for b in jirasim jirasync; do
  [[ -x ${bin}/${b} ]] || { echo "latency_bench: ${bin}/${b} is missing; build it first" >&2; exit 2; }
done

work="$(mktemp -d /tmp/latency_bench.XXXXXX)"
sim_pid=""
cleanup() {
  [[ -n $sim_pid ]] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }

echo "| latency ms | rate/s | concurrency | API calls | s, cold full | bound s | ratio |"
echo "|---|---|---|---|---|---|---|"
IFS=, read -ra lat_list <<<"$latencies"
for latency in "${lat_list[@]}"; do
  rm -f "${work}/sim.port" "${work}/cache.db"
  sim_args=(--port 0 --port-file "${work}/sim.port" --projects "LAT:${issues}" --fault-latency-ms "$latency")
  [[ $rate != 0 ]] && sim_args+=(--rate-limit "$rate" --rate-burst "${burst%.*}")
  "${bin}/jirasim" "${sim_args[@]}" >"${work}/sim.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 1 300); do [[ -s ${work}/sim.port ]] && break; sleep 0.1; done
  [[ -s ${work}/sim.port ]] || { echo "latency_bench: jirasim did not start" >&2; exit 1; }
  url="http://127.0.0.1:$(cat "${work}/sim.port")"
  cat >"${work}/jirasync.yaml" <<EOF
jira: {base_url: "${url}", email: demo@jirasim.test, rate_per_s: ${rate}, rate_burst: ${burst}, concurrency: ${concurrency}}
projects: [{key: LAT}]
database_url: "sqlite:${work}/cache.db"
bus: inprocess
EOF
  curl -sf -X POST "${url}/__sim/counters/reset" >/dev/null
  t0="$(now_ms)"
  JIRA_API_TOKEN=jirasim-demo-token "${bin}/jirasync" --config "${work}/jirasync.yaml" \
    sync --project LAT --full --wait >"${work}/sync.log" 2>&1 ||
    { echo "latency_bench: sync failed: $(tail -n 5 "${work}/sync.log")" >&2; exit 1; }
  t1="$(now_ms)"
  calls="$(curl -sf "${url}/__sim/counters" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')"
  awk -v l="$latency" -v r="$rate" -v c="$concurrency" -v n="$calls" -v a="$t0" -v b="$t1" 'BEGIN {
    wall = (b - a) / 1000; by_latency = n * l / 1000 / c; by_rate = r > 0 ? n / r : 0
    bound = by_latency > by_rate ? by_latency : by_rate
    shown = (r > 0) ? r : "none"
    printf "| %d | %s | %d | %d | %.2f | %.2f | %.2f |\n", l, shown, c, n, wall, bound, wall / bound }'
  kill "$sim_pid" && wait "$sim_pid" 2>/dev/null || true
  sim_pid=""
done
