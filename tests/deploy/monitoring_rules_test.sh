#!/usr/bin/env bash
# The shipped Prometheus config and alert rules are valid (promtool check) and
# the rules fire when they should and not otherwise (promtool test rules on
# tests/deploy/alerts_test.yml). promtool comes from Debian's prometheus
# package (scripts/deps.sh test); without it the test is skipped (exit 77),
# except in CI (CI set), where a missing tool is a failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v promtool >/dev/null 2>&1; then
  if [[ -n "${CI:-}" ]]; then
    echo "promtool is missing (CI is set): install Debian's prometheus package (scripts/deps.sh test)" >&2
    exit 1
  fi
  echo "SKIP: promtool is missing (install Debian's prometheus package)"
  exit 77
fi
promtool check rules "${root}/deploy/monitoring/alerts.yml"
promtool check config "${root}/deploy/monitoring/prometheus.yml"
# promtool resolves rule_files against the test file's directory: run it on a
# copy that names the shipped rules by absolute path.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s#@ALERTS@#${root}/deploy/monitoring/alerts.yml#" "${root}/tests/deploy/alerts_test.yml" \
  >"${work}/alerts_test.yml"
promtool test rules "${work}/alerts_test.yml"
