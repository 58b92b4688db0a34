#!/usr/bin/env bash
# The one test command (README, CI): dependencies, the Release build, the
# sanitizer build with its unit tests, then every test (unit, integration,
# e2e) against the dev services, which are stopped again whatever happens.
#
# Env (optional):
#   JIRASYNC_BUILD_JOBS      parallel build jobs (default 2)
#   JIRASYNC_KEEP_SERVICES=1 leave PostgreSQL/Kafka running afterwards (dev loop)
#   JIRASYNC_SERVICES_DIR    reuse these services (default: a fresh dir per run,
#                            removed afterwards)
#   CCACHE_DIR               compiler cache (default ~/.cache/ccache)
# plus everything scripts/services.sh reads (ports, services dir, topic prefix).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

export CCACHE_DIR="${CCACHE_DIR:-${HOME}/.cache/ccache}"
# Paths relative to the checkout, so every clone and build dir shares the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-${repo_root}}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
jobs="${JIRASYNC_BUILD_JOBS:-2}"
# deps.sh has installed every tool the tests use (python3-jira, Chromium,
# puppeteer-core, the MCP SDK, promtool): a test that finds one missing fails
# rather than skips.
export CI="${CI:-1}"
# CI builds with warnings as errors; the main tree is Release (the type users
# build first), the sanitizer tree Debug.
werror=(-DJIRASYNC_WERROR=ON)
# Sanitizer reports must fail the run, with a stack to act on.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

summary=()
failed=0
total_start=$SECONDS

# phase NAME COMMAND...: runs one step, prints its time, remembers the outcome.
phase() {
  local name="$1"
  shift
  local start=$SECONDS rc=0
  echo
  echo "=== ${name}"
  "$@" || rc=$?
  local took=$((SECONDS - start))
  if ((rc == 0)); then
    summary+=("$(printf '%-28s ok     %4ss' "$name" "$took")")
    echo "=== ${name}: ok (${took}s)"
  else
    summary+=("$(printf '%-28s FAILED %4ss (exit %s)' "$name" "$took" "$rc")")
    echo "=== ${name}: FAILED (exit ${rc}, ${took}s)" >&2
    failed=1
  fi
  return "$rc"
}

print_summary() {
  echo
  echo "=== summary"
  printf '  %s\n' "${summary[@]}"
  echo "  total $((SECONDS - total_start))s"
}

# A run owns fresh services. A dir left by an earlier run (one killed mid-way
# leaves its broker's logs unflushed) makes Kafka recover every old test topic
# before it answers, and each run adds hundreds of topics the controller then
# carries; both have timed out a run that was otherwise green.
own_services_dir=0
if [[ -z "${JIRASYNC_SERVICES_DIR:-}" && "${JIRASYNC_KEEP_SERVICES:-0}" != 1 ]]; then
  JIRASYNC_SERVICES_DIR="$(mktemp -d "${TMPDIR:-/tmp}/jirasync-test-services.XXXXXX")"
  export JIRASYNC_SERVICES_DIR
  own_services_dir=1
fi

services_started=0
finish() {
  local rc=$?
  if ((services_started)) && [[ "${JIRASYNC_KEEP_SERVICES:-0}" != 1 ]]; then
    phase "services stop" bash scripts/services.sh stop || true
  fi
  if ((own_services_dir)) && [[ "${JIRASYNC_KEEP_SERVICES:-0}" != 1 ]]; then
    rm -rf "$JIRASYNC_SERVICES_DIR"
  fi
  print_summary
  if ((failed)) || ((rc != 0)); then
    echo "=== test.sh: FAILED" >&2
    exit 1
  fi
  echo "=== test.sh: all passed"
}
trap finish EXIT

configure() {
  local dir="$1"
  shift
  cmake -S . -B "$dir" "$@"
}

# Keeps going past a broken target so every other part still builds and gets
# tested; the failure is still reported and fails the run.
build_tree() {
  local dir="$1" keep_going=(-k)
  [[ -f "${dir}/build.ninja" ]] && keep_going=(-k 0)
  cmake --build "$dir" -j "$jobs" -- "${keep_going[@]}"
}

phase "deps" bash scripts/deps.sh || exit 1

# A target that does not build shows up in ctest as a failing *_NOT_BUILT test.
configured=0
if phase "configure (build/)" configure build -DCMAKE_BUILD_TYPE=Release "${werror[@]}"; then
  configured=1
  phase "build (build/)" build_tree build || true
fi

if phase "configure (build-asan/)" configure build-asan -DCMAKE_BUILD_TYPE=Debug \
  -DJIRASYNC_SANITIZE=ON -DJIRASYNC_UNIT_ONLY=ON "${werror[@]}"; then
  phase "build (build-asan/)" build_tree build-asan || true
  phase "unit tests (asan)" ctest --test-dir build-asan -L unit --output-on-failure \
    --timeout 600 || true
fi

if ((configured)); then
  services_started=1
  if phase "services start" bash scripts/services.sh start; then
    eval "$(bash scripts/services.sh env)"
    phase "all tests (build/)" ctest --test-dir build --output-on-failure --timeout 600 || true
    # The same core e2e tests on the modern protocol (librdkafka's mock cluster).
    phase "e2e (modern Kafka, mock)" bash tests/kafka_mock/run_e2e.sh build || true
  fi
fi
