#!/usr/bin/env bash
# The core pipeline e2e tests on the modern Kafka protocol: librdkafka's mock
# cluster (jirasync-kafka-mock) on real ports, api.version.request=true and
# the idempotent producer on, every other service as for the 0.9 runs.
#
#   bash tests/kafka_mock/run_e2e.sh BUILD_DIR     (PostgreSQL env exported, as for ctest)
#
# The mock keeps at most 5 MiB per partition (fixed in librdkafka 2.0.2) and
# deletes older records, so producers compress (lz4) to keep the 10,000-issue
# tests' topics inside it. docs/operations.md says what this run proves.
set -euo pipefail

build_dir="${1:?usage: run_e2e.sh BUILD_DIR}"
mock="${build_dir}/bin/jirasync-kafka-mock"
[[ -x "$mock" ]] || { echo "run_e2e.sh: ${mock} not built" >&2; exit 1; }
# cold full, incremental (warm full + incremental), kill -9 of each role, lag
tests='^(PipelineBudget\.|PipelineCrash\.|PipelineLag\.)'

work="$(mktemp -d)"
"$mock" --bootstrap-file "${work}/bootstrap" >"${work}/mock.log" 2>&1 &
mock_pid=$!
cleanup() {
  kill "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 100); do
  [[ -s "${work}/bootstrap" ]] && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "${work}/mock.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s "${work}/bootstrap" ]] || { echo "run_e2e.sh: the mock cluster did not start" >&2; exit 1; }

export JIRASYNC_TEST_KAFKA_BROKERS="$(cat "${work}/bootstrap")"
export JIRASYNC_KAFKA_API_VERSION_REQUEST=true
export JIRASYNC_KAFKA_IDEMPOTENCE=true
# The consumers subscribe to topics no producer made yet (each test has its own prefix).
export JIRASYNC_KAFKA_EXTRA="allow.auto.create.topics=true,compression.type=lz4"
echo "run_e2e.sh: mock cluster at ${JIRASYNC_TEST_KAFKA_BROKERS}"
ctest --test-dir "$build_dir" -R "$tests" --output-on-failure --timeout 600
