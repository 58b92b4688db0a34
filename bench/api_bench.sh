#!/usr/bin/env bash
# jirasync-api under wrk, over a PostgreSQL cache of 1,000,000 issues, with
# jirasim serving the same search pages for comparison. Run by hand; builds
# nothing (BUILD_DIR must hold bin/jirasync-api, bin/jirasync, bin/jirasim and
# bin/fill_cache). docs/benchmarks.md has the results and how to read them.
#
#   bench/api_bench.sh [BUILD_DIR] [options]        (BUILD_DIR default: build)
#
# Options:
#   --db NAME             database on the dev PostgreSQL (default api_bench). Reused when
#                         it holds this fill (fill_cache --check); filled when it is new
#   --refill              drop the database first when it holds anything else
#   --projects SPEC       what to fill, as fill_cache --projects (default: 20 projects
#                         APA..APT of 50,000 issues: 1,000,000); seed 7
#   --duration S          seconds per wrk run (default 20)
#   --threads N           wrk threads (default 2)
#   --connections "A B"   wrk connections of the key lookup runs (default "1 4 16")
#   --search-connections "A B"  of the search page runs, cache and jirasim (default "1 4")
#   --pages N             search pages collected per side (default 200: 20,000 issues)
#   --rate "R1 R2"        also key lookups at these fixed rates (req/s), open loop, with
#                         bin/fixed_rate_load: latency from each request's intended send
#                         time, so queueing is counted (what wrk's closed loop cannot show)
#   --rate-connections N  keep-alive connections of the fixed-rate runs (default 64)
#   --rate-only           only the fixed-rate runs (no wrk, no jirasim, no search pages)
#   --handler-threads N   jirasync-api's api.handler_threads (default: the product's, 4)
#   --unix-socket         jirasync-api reaches PostgreSQL through its Unix socket (the dev
#                         cluster's directory) instead of TCP on 127.0.0.1
#   --out FILE            also write the Markdown report to FILE
#   --keep                keep the work directory (config, logs, wrk output)
#
# Uses the dev services (scripts/services.sh start; JIRASYNC_SERVICES_DIR as that
# script reads it) and leaves them running, and leaves the filled database in
# place so the next run reuses it (a fill of 1,000,000 takes ~15 min on a busy
# 2-core box). Stops what it started (by pid) and revokes its API key on exit.
#
# One bench at a time on a shared box: start the services first, outside the lock
# (`bash scripts/services.sh start`), then `flock /work/wt/bench.lock bash bench/api_bench.sh`;
# a broker started under flock keeps the lock after the run.
#
# Measured, per wrk run: requests/s, latency p50/p90/p99 (`--latency`; Debian's wrk
# has no constant-rate -R, so each run is a closed loop at a fixed number of
# connections), non-2xx answers, and CPU per request of the server (utime+stime of
# /proc/<pid>/stat before and after: jirasync-api plus its PostgreSQL backends, or
# jirasim), which is what survives a loaded box; the load average before each run.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="build"
db_name="api_bench"
refill=0
projects=""
seed=7
duration=20
wrk_threads=2
connections="1 4 16"
search_connections="1 4"
pages=200
rates=""
rate_connections=64
rate_only=0
handler_threads=""
unix_socket=0
out_file=""
keep=0

die() {
  echo "api_bench: ERROR: $*" >&2
  exit 1
}
log() { echo "api_bench: $*" >&2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

need_value() { [[ $# -ge 2 && -n "$2" ]] || {
  echo "api_bench: option $1 needs a value" >&2
  exit 2
}; }
need_int() { [[ "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || {
  echo "api_bench: option $1: '$2' is not a positive integer" >&2
  exit 2
}; }
need_ints() {
  local n
  for n in $2; do need_int "$1" "$n"; done
  [[ -n "${2// /}" ]] || need_int "$1" ""
}

while (($#)); do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --db)
      need_value "$@"
      [[ "$2" =~ ^[a-z_][a-z0-9_]*$ ]] || {
        echo "api_bench: --db: '$2' is not a plain database name (a-z, 0-9, _)" >&2
        exit 2
      }
      db_name="$2"
      shift 2
      ;;
    --refill)
      refill=1
      shift
      ;;
    --projects)
      need_value "$@"
      projects="$2"
      shift 2
      ;;
    --duration | --threads | --pages | --handler-threads)
      need_value "$@"
      need_int "$1" "$2"
      case "$1" in
        --duration) duration="$2" ;;
        --threads) wrk_threads="$2" ;;
        --pages) pages="$2" ;;
        --handler-threads) handler_threads="$2" ;;
      esac
      shift 2
      ;;
    --connections | --search-connections)
      need_value "$@"
      need_ints "$1" "$2"
      [[ "$1" == --connections ]] && connections="$2" || search_connections="$2"
      shift 2
      ;;
    --rate)
      need_value "$@"
      need_ints "$1" "$2"
      rates="$2"
      shift 2
      ;;
    --rate-connections)
      need_value "$@"
      need_int "$1" "$2"
      rate_connections="$2"
      shift 2
      ;;
    --unix-socket)
      unix_socket=1
      shift
      ;;
    --rate-only)
      rate_only=1
      shift
      ;;
    --out)
      need_value "$@"
      out_file="$2"
      shift 2
      ;;
    --keep)
      keep=1
      shift
      ;;
    -*)
      echo "api_bench: unknown option $1 (--help lists them)" >&2
      exit 2
      ;;
    *)
      build_dir="$1"
      shift
      ;;
  esac
done

[[ "$build_dir" = /* ]] || build_dir="${repo_root}/${build_dir}"
bin="${build_dir}/bin"
((rate_only)) && [[ -z "$rates" ]] && {
  echo "api_bench: --rate-only needs --rate" >&2
  exit 2
}
needed=(jirasync-api jirasync jirasim fill_cache)
[[ -n "$rates" ]] && needed+=(fixed_rate_load)
for b in "${needed[@]}"; do
  [[ -x "${bin}/${b}" ]] || die "${bin}/${b} not found; build it first (this script builds nothing)"
done
for tool in wrk curl jq psql awk; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
if [[ -z "$projects" ]]; then
  projects="$(printf 'AP%s:50000,' A B C D E F G H I J K L M N O P Q R S T)"
  projects="${projects%,}"
fi

# --- dev services and the database -------------------------------------------

services_dir="${JIRASYNC_SERVICES_DIR:-/tmp/jirasync-services-$(id -u)}"
# The bench needs PostgreSQL only (the API runs with `bus: inprocess`). Services
# already running are used as they are: started from here, under `flock`, the
# broker would inherit the lock's descriptor and hold the lock after the run.
env_pg_port() { # the port of ${services_dir}/env, read in a subshell (JIRASYNC_*
  # variables would also act as config overrides); empty without the file
  [[ -f "${services_dir}/env" ]] || return 0
  local url
  url="$(. "${services_dir}/env" && echo "$JIRASYNC_TEST_PG_URL")"
  url="${url##*:}"
  echo "${url%%/*}"
}
pg_port="$(env_pg_port)"
if [[ -z "$pg_port" ]] ||
  ! psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "SELECT 1" >/dev/null 2>&1; then
  log "starting the dev services (start them before taking a bench lock: see --help)"
  bash "${repo_root}/scripts/services.sh" start >&2 ||
    log "scripts/services.sh start failed; going on if PostgreSQL answers"
  pg_port="$(env_pg_port)"
  [[ -n "$pg_port" ]] || die "no ${services_dir}/env: scripts/services.sh start did not start PostgreSQL"
fi
psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "SELECT 1" >/dev/null ||
  die "PostgreSQL does not answer on 127.0.0.1:${pg_port}"
db_url="postgresql://jirasync@127.0.0.1:${pg_port}/${db_name}"
psql_admin() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }

work="$(mktemp -d /tmp/api-bench.XXXXXX)"
declare -A pid_of=()
key_name=""
config="${work}/jirasync.yaml"

stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local name
  for name in "${!pid_of[@]}"; do stop_pid "${pid_of[$name]}"; done
  if [[ -n "$key_name" ]]; then
    "${bin}/jirasync" -c "$config" apikey revoke "$key_name" >/dev/null 2>&1 ||
      log "could not revoke API key ${key_name}"
  fi
  if ((keep)); then
    log "kept ${work}"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if "${bin}/fill_cache" "$db_url" --projects "$projects" --seed "$seed" --check >/dev/null 2>&1; then
  log "reusing database ${db_name} (holds seed ${seed}, ${projects})"
  fill_note="reused"
else
  exists="$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '${db_name}'")"
  if [[ -n "$exists" ]]; then
    ((refill)) || die "database ${db_name} holds something else than this fill; --refill drops it"
    psql_admin -c "DROP DATABASE \"${db_name}\" WITH (FORCE)" >/dev/null
  fi
  psql_admin -c "CREATE DATABASE \"${db_name}\" OWNER jirasync" >/dev/null
  log "filling ${db_name} (${projects}); progress below"
  t0=$SECONDS
  "${bin}/fill_cache" "$db_url" --projects "$projects" --seed "$seed" >&2 ||
    die "fill_cache failed; database ${db_name} is incomplete (the next run refills with --refill)"
  fill_note="filled now in $((SECONDS - t0)) s"
fi
issue_count="$(psql -X -At -h 127.0.0.1 -p "$pg_port" -U jirasync -d "$db_name" \
  -c "SELECT COUNT(*) FROM tickets WHERE deleted = 0")"
# A database larger than shared_buffers is read through the kernel's page cache
# on most lookups: ~15 % more PostgreSQL CPU a key lookup at 128MB.
pg_memory="$(psql_admin -c "SELECT current_setting('shared_buffers') || ' shared_buffers, database ' ||
  pg_size_pretty(pg_database_size('${db_name}'))")"

# --- jirasync-api ------------------------------------------------------------

api_db_url="$db_url"
if ((unix_socket)); then
  [[ -S "${services_dir}/pg/.s.PGSQL.${pg_port}" ]] || die "no PostgreSQL socket in ${services_dir}/pg"
  api_db_url="postgresql://jirasync@${services_dir//\//%2F}%2Fpg:${pg_port}/${db_name}"
fi
first_project="${projects%%,*}"
first_key="${first_project%%:*}"
first_count="${first_project##*:}"
cat >"$config" <<EOF
jira:
  base_url: http://127.0.0.1:9
  email: bench@example.com
projects:
$(echo "$projects" | tr ',' '\n' | sed 's/:.*//; s/^/  - key: /')
database_url: ${api_db_url}
bus: inprocess
listen: 127.0.0.1:0
api:
  listen: 127.0.0.1:0
  rate_per_s: 0
$([[ -n "$handler_threads" ]] && echo "  handler_threads: ${handler_threads}")
EOF
key_name="api-bench-$(date +%s)-$$"
api_key="$("${bin}/jirasync" -c "$config" apikey create "$key_name" --scope read |
  tr ' ' '\n' | grep '^jsk_' || true)"
[[ -n "$api_key" ]] || die "jirasync apikey create gave no key"

"${bin}/jirasync-api" --config "$config" >"${work}/api.log" 2>&1 &
pid_of[api]=$!
api_url=""
for ((i = 0; i < 300; i++)); do
  addr="$(grep -o 'serving the API on [0-9.:]*' "${work}/api.log" | awk '{print $5}' || true)"
  [[ -n "$addr" ]] && api_url="http://${addr}" && break
  kill -0 "${pid_of[api]}" 2>/dev/null || die "jirasync-api exited: $(tail -5 "${work}/api.log")"
  sleep 0.1
done
[[ -n "$api_url" ]] || die "jirasync-api did not start listening"
api_auth="Bearer ${api_key}"
curl -fsS -o /dev/null -H "Authorization: ${api_auth}" "${api_url}/api/v1/issues/${first_key}-1" ||
  die "jirasync-api does not answer GET /api/v1/issues/${first_key}-1"
log "jirasync-api on ${api_url}, ${issue_count} issues in ${db_name}"

# --- jirasim with the first project: the same issues as the cache's -----------

if ((!rate_only)); then

"${bin}/jirasim" --port 0 --port-file "${work}/sim.port" --seed "$seed" \
  --projects "${first_project}" >"${work}/sim.log" 2>&1 &
pid_of[jirasim]=$!
for ((i = 0; i < 600; i++)); do
  [[ -s "${work}/sim.port" ]] && break
  kill -0 "${pid_of[jirasim]}" 2>/dev/null || die "jirasim exited: $(tail -5 "${work}/sim.log")"
  sleep 0.1
done
[[ -s "${work}/sim.port" ]] || die "jirasim did not start"
sim_url="http://127.0.0.1:$(cat "${work}/sim.port")"
sim_auth="Basic $(printf '%s' 'demo@jirasim.test:jirasim-demo-token' | base64 -w0)"
fi

# --- request paths -------------------------------------------------------------

# Random keys over every project of the fill.
awk -v spec="$projects" 'BEGIN {
  srand(11); n = split(spec, parts, ",");
  for (i = 1; i <= 100000; i++) {
    split(parts[1 + int(rand() * n)], p, ":");
    printf "/api/v1/issues/%s-%d\n", p[1], 1 + int(rand() * p[2]);
  }
}' >"${work}/keys.paths"

jql="project = ${first_key} ORDER BY key"
jql_q="$(jq -rn --arg v "$jql" '$v|@uri')"
search_base="/rest/api/3/search/jql?jql=${jql_q}&maxResults=100&fields=*all"

# Walks the first `pages` pages one after the other (one client, sequential: a
# latency figure of its own) and writes each page's path, token included.
collect_pages() {
  local url="$1" auth="$2" out="$3" token="" path n=0 t0 bytes=0 size
  : >"$out"
  t0=$(date +%s.%N)
  while ((n < pages)); do
    path="$search_base"
    [[ -n "$token" ]] && path+="&nextPageToken=$(jq -rn --arg v "$token" '$v|@uri')"
    echo "$path" >>"$out"
    curl -fsS -H "Authorization: ${auth}" "${url}${path}" >"${work}/page.json" ||
      die "GET ${url}${path} failed"
    size=$(stat -c %s "${work}/page.json")
    bytes=$((bytes + size))
    [[ "$(jq '.issues | length' "${work}/page.json")" == 100 ]] || die "${url}: a page without 100 issues"
    n=$((n + 1))
    token="$(jq -r '.nextPageToken // empty' "${work}/page.json")"
    [[ -n "$token" ]] || break
  done
  awk -v n="$n" -v t0="$t0" -v t1="$(date +%s.%N)" -v b="$bytes" \
    'BEGIN { printf "%d pages, one after the other (curl + jq): %.1f pages/s, %.0f kB a page\n", n, n / (t1 - t0), b / n / 1024 }'
}
cache_walk="not run (--rate-only)"
sim_walk="$cache_walk"
same_pages="$cache_walk"
if ((!rate_only)); then
log "collecting ${pages} search pages from the cache and from jirasim"
cache_walk="$(collect_pages "$api_url" "$api_auth" "${work}/cache_pages.paths")"
sim_walk="$(collect_pages "$sim_url" "$sim_auth" "${work}/sim_pages.paths")"
# The same issues in the same order on both sides (first page, keys and summaries).
page_keys() { curl -fsS -H "Authorization: $2" "$1${search_base}" | jq -c '[.issues[] | [.key, .fields.summary]]'; }
if [[ "$(page_keys "$api_url" "$api_auth")" == "$(page_keys "$sim_url" "$sim_auth")" ]]; then
  same_pages="yes (first page: same keys and summaries)"
else
  same_pages="NO: the first pages differ"
fi
fi

# --- measuring -------------------------------------------------------------------

clk_tck="$(getconf CLK_TCK)"
cpu_ticks() { # utime+stime of the pids, in ticks
  local p total=0 t
  for p in "$@"; do
    t="$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/${p}/stat" 2>/dev/null || echo 0)"
    total=$((total + t))
  done
  echo "$total"
}
api_backends() {
  psql_admin -c "SELECT pid FROM pg_stat_activity WHERE datname = '${db_name}' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
}
to_ms() { # wrk's 1.23ms / 456.00us / 1.50s
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /m$/) { sub(/m$/, "", v); print v * 60000 }
    else { sub(/s$/, "", v); print v * 1000 } }'
}

rows=()
# run_wrk LABEL URL AUTH PATHS CONNECTIONS SERVER_PIDS...
run_wrk() {
  local label="$1" url="$2" auth="$3" paths="$4" conns="$5"
  shift 5
  local threads=$((wrk_threads < conns ? wrk_threads : conns))
  local load cpu0 cpu1 own0 own1 out="${work}/wrk_${#rows[@]}.txt"
  load="$(awk '{print $1}' /proc/loadavg)"
  cpu0="$(cpu_ticks "$@")"
  own0="$(cpu_ticks "$1")"
  API_BENCH_PATHS="$paths" API_BENCH_AUTH="$auth" wrk -t"$threads" -c"$conns" -d"${duration}s" \
    --latency -s "${repo_root}/bench/api_bench_paths.lua" "$url" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
  cpu1="$(cpu_ticks "$@")"
  own1="$(cpu_ticks "$1")"
  local requests rps p50 p90 p99 errors cpu_us
  requests="$(awk '/requests in/ {print $1}' "$out")"
  rps="$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$out")"
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  p90="$(to_ms "$(awk '$1 == "90%" {print $2}' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  errors="$(awk '/Non-2xx/ {print $NF}' "$out")"
  errors="${errors:-0}"
  per_request() { awk -v d="$1" -v n="$requests" -v hz="$clk_tck" 'BEGIN { printf "%.0f", n ? d / hz * 1e6 / n : 0 }'; }
  cpu_us="$(per_request $((cpu1 - cpu0)))"
  local split="$(per_request $((own1 - own0))) + $(per_request $((cpu1 - cpu0 - own1 + own0)))"
  rows+=("| ${label} | ${conns} | ${rps} | ${p50} | ${p90} | ${p99} | ${errors} | ${cpu_us} (${split}) | ${load} |")
  log "${label}, ${conns} connections: ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, ${errors} non-2xx, ${cpu_us} us server CPU a request (load ${load})"
}

rate_rows=()
# run_rate RATE SERVER_PIDS...: key lookups at a fixed rate (open loop).
run_rate() {
  local rate="$1"
  shift
  local load cpu0 cpu1 own0 own1 out="${work}/rate_${rate}.txt"
  load="$(awk '{print $1}' /proc/loadavg)"
  cpu0="$(cpu_ticks "$@")"
  own0="$(cpu_ticks "$1")"
  API_BENCH_AUTH="$api_auth" "${bin}/fixed_rate_load" "$api_url" --paths "${work}/keys.paths" \
    --rate "$rate" --duration "$duration" --warmup 2 --connections "$rate_connections" \
    --auth-env API_BENCH_AUTH >"$out" 2>&1 || die "fixed_rate_load failed: $(cat "$out")"
  cpu1="$(cpu_ticks "$@")"
  own1="$(cpu_ticks "$1")"
  v() { awk -F= -v k="$1" '$1 == k {print $2}' "$out"; }
  local sent
  sent="$(v sent)"
  # The CPU window includes the 2 s warm-up: per request over everything sent.
  per_request() { awk -v d="$1" -v n="$sent" -v r="$rate" -v hz="$clk_tck" 'BEGIN { n += 2 * r; printf "%.0f", n ? d / hz * 1e6 / n : 0 }'; }
  local cpu_us split
  cpu_us="$(per_request $((cpu1 - cpu0)))"
  split="$(per_request $((own1 - own0))) + $(per_request $((cpu1 - cpu0 - own1 + own0)))"
  rate_rows+=("| ${rate} | $(v achieved_rate) | $(v p50_ms) | $(v p90_ms) | $(v p99_ms) | $(v p999_ms) | $(v max_ms) | $(v errors) / $(v unfinished) / $(v not_sent) | ${cpu_us} (${split}) | ${load} |")
  log "fixed rate ${rate} req/s: achieved $(v achieved_rate), p50 $(v p50_ms) ms, p99 $(v p99_ms) ms, p99.9 $(v p999_ms) ms, $(v errors) errors, ${cpu_us} us server CPU a request (load ${load})"
}

mapfile -t backends < <(api_backends)
if [[ -n "$rates" ]]; then
  # Warm the api's connections first, so every backend is counted.
  API_BENCH_AUTH="$api_auth" "${bin}/fixed_rate_load" "$api_url" --paths "${work}/keys.paths" \
    --rate 500 --duration 2 --connections "$rate_connections" --auth-env API_BENCH_AUTH >/dev/null 2>&1 || true
  mapfile -t backends < <(api_backends)
  for r in $rates; do run_rate "$r" "${pid_of[api]}" "${backends[@]}"; done
fi
((rate_only)) && connections="" && search_connections=""
for c in $connections; do
  run_wrk "cache: GET /api/v1/issues/{key}" "$api_url" "$api_auth" "${work}/keys.paths" "$c" \
    "${pid_of[api]}" "${backends[@]}"
done
mapfile -t backends < <(api_backends)
for c in $search_connections; do
  run_wrk "cache: search/jql page of 100, *all" "$api_url" "$api_auth" \
    "${work}/cache_pages.paths" "$c" "${pid_of[api]}" "${backends[@]}"
done
for c in $search_connections; do
  run_wrk "jirasim: search/jql page of 100, *all" "$sim_url" "$sim_auth" \
    "${work}/sim_pages.paths" "$c" "${pid_of[jirasim]}"
done

report="$(
  cat <<EOF
### api_bench $(date -u +%Y-%m-%dT%H:%MZ)

- Cache: database \`${db_name}\` on the dev PostgreSQL (${fill_note}): ${issue_count} issues, jirasim seed ${seed};
  ${pg_memory} (JIRASYNC_PG_SHARED_BUFFERS of scripts/services.sh); api.handler_threads ${handler_threads:-4};
  jirasync-api reaches PostgreSQL over $( ((unix_socket)) && echo "its Unix socket" || echo "TCP on 127.0.0.1").
- Key lookups: random keys over every project. Search pages: \`${jql}\`, maxResults=100, fields=*all,
  random pages among the first ${pages} (tokens collected beforehand); jirasim holds ${first_key} only
  (${first_count} issues, seed ${seed}): same issues on both sides: ${same_pages}.
- wrk: ${duration} s a run, up to ${wrk_threads} threads, closed loop (no -R in Debian's wrk).
- Sequential walk, cache: ${cache_walk}
- Sequential walk, jirasim: ${sim_walk}
- $(nproc) CPUs; server CPU µs/request = utime+stime of jirasync-api and its PostgreSQL backends (or jirasim) ÷ requests,
  in parentheses the process + its database backends.

| what | connections | req/s | p50 ms | p90 ms | p99 ms | non-2xx | server CPU µs/req | load before |
|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")
EOF
  if ((${#rate_rows[@]})); then
    cat <<EOF

Key lookups at a fixed rate (bin/fixed_rate_load, open loop: latency from each request's intended
send time; ${rate_connections} keep-alive connections; ${duration} s measured after 2 s at the same rate;
requests still unanswered 5 s after the last send count with the time they had waited then):

| target req/s | achieved req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors / unanswered / not sent | server CPU µs/req | load before |
|---|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rate_rows[@]}")
EOF
  fi
)"
echo "$report"
[[ -n "$out_file" ]] && echo "$report" >"$out_file"
log "database ${db_name} stays (reused by the next run); the dev services stay up"
