#!/usr/bin/env bash
# The one test command (README, CI): dependencies, the release build, the
# sanitizer build with its unit tests, then every test (unit, integration,
# e2e) against the dev services, which are stopped again whatever happens.
#
# Env (optional):
#   JIRASYNC_BUILD_JOBS      parallel build jobs (default 2)
#   JIRASYNC_KEEP_SERVICES=1 leave PostgreSQL/Kafka running afterwards (dev loop)
#   CCACHE_DIR               compiler cache (default ~/.cache/ccache)
# plus everything scripts/services.sh reads (ports, services dir, topic prefix).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

export CCACHE_DIR="${CCACHE_DIR:-${HOME}/.cache/ccache}"
jobs="${JIRASYNC_BUILD_JOBS:-2}"
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

services_started=0
finish() {
  local rc=$?
  if ((services_started)) && [[ "${JIRASYNC_KEEP_SERVICES:-0}" != 1 ]]; then
    phase "services stop" bash scripts/services.sh stop || true
  fi
  print_summary
  if ((failed)) || ((rc != 0)); then
    echo "=== test.sh: FAILED" >&2
    exit 1
  fi
  echo "=== test.sh: all passed"
}
trap finish EXIT

configure_and_build() {
  local dir="$1"
  shift
  cmake -S . -B "$dir" "$@" && cmake --build "$dir" -j "$jobs"
}

phase "deps" bash scripts/deps.sh || exit 1

build_ok=1
phase "build (build/)" configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo || build_ok=0

if phase "build (build-asan/)" configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug \
  -DJIRASYNC_SANITIZE=ON -DJIRASYNC_UNIT_ONLY=ON; then
  phase "unit tests (asan)" ctest --test-dir build-asan -L unit --output-on-failure \
    --timeout 600 || true
fi

if ((build_ok)); then
  services_started=1
  if phase "services start" bash scripts/services.sh start; then
    eval "$(bash scripts/services.sh env)"
    phase "all tests (build/)" ctest --test-dir build --output-on-failure --timeout 600 || true
  fi
else
  echo "=== skipping services and the full test run: build/ did not build" >&2
fi
