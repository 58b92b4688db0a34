#!/usr/bin/env bash
# `cmake --install` of a built tree puts the binaries, the example config and
# the dashboard assets where a user looks for them (README, docs/operations.md).
set -euo pipefail
build_dir="${1:?usage: install_layout_test.sh BUILD_DIR}"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
failed=0
for f in bin/jirasync bin/jirasync-scheduler bin/jirasync-fetcher bin/jirasync-reconciler \
  bin/jirasync-writer bin/jirasync-api share/jirasync/jirasync.example.yaml \
  share/jirasync/monitoring/grafana/dashboards/jirasync.json \
  share/jirasync/monitoring/grafana/provisioning/dashboards/jirasync.yaml \
  share/jirasync/monitoring/grafana/provisioning/datasources/prometheus.yaml \
  share/jirasync/monitoring/prometheus.yml share/jirasync/monitoring/alerts.yml; do
  if [[ -e "${prefix}/${f}" ]]; then
    echo "ok      ${f}"
  else
    echo "MISSING ${f}"
    failed=1
  fi
done
"${prefix}/bin/jirasync" --version >/dev/null || { echo "installed jirasync does not run"; failed=1; }
exit "$failed"
