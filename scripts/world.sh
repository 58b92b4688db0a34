# shellcheck shell=bash
# Sourced by scripts/demo.sh and bench/pipeline_bench.sh: brings a world up
# with jirasync-world (jirasim, the config, the role processes; see
# `jirasync-world --help`) and takes it down again.
#
#   world_up BIN_DIR DIR TIMEOUT_S ARGS...
#       Starts BIN_DIR/jirasync-world --dir DIR ARGS... in the background (its
#       output in DIR/world.log), waits up to TIMEOUT_S for DIR/world.env and
#       reads it: WORLD_CONFIG, WORLD_SIM_URL, WORLD_ROLES, WORLD_PID_<name>,
#       WORLD_LISTEN_<name> ... Returns 1, with the log's tail on stderr, when
#       the world does not come up.
#   world_down
#       SIGTERM to jirasync-world, which stops every process it started; waits for it.

world_pid=""

world_up() {
  local bin="$1" dir="$2" timeout_s="$3"
  shift 3
  mkdir -p "$dir"
  rm -f "${dir}/world.env"
  "${bin}/jirasync-world" --dir "$dir" --bin "$bin" --ready-timeout "$timeout_s" "$@" \
    >"${dir}/world.log" 2>&1 &
  world_pid=$!
  local limit=$((SECONDS + timeout_s))
  until [[ -s "${dir}/world.env" ]]; do
    if ! kill -0 "$world_pid" 2>/dev/null || ((SECONDS >= limit)); then
      echo "the world did not come up within ${timeout_s} s; ${dir}/world.log:" >&2
      tail -n 40 "${dir}/world.log" >&2
      world_down
      return 1
    fi
    sleep 0.1
  done
  # shellcheck disable=SC1091
  . "${dir}/world.env"
}

world_down() {
  [[ -n "$world_pid" ]] || return 0
  kill -TERM "$world_pid" 2>/dev/null || true
  # It asks every process to stop at once and kills what is left after 10 s.
  wait "$world_pid" 2>/dev/null || true
  world_pid=""
}
