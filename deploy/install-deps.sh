#!/usr/bin/env bash
# Installs the Debian packages the hub builds and tests with, but only those
# missing: on a machine that has them it makes no network call.
# Usage: deploy/install-deps.sh [EXTRA-PACKAGE...]  (deploy/fuzz.sh adds clang's)
set -euo pipefail

packages=(
  cmake ninja-build pkg-config g++ make ccache
  libpoco-dev libpq-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev
  libpugixml-dev nlohmann-json3-dev libyaml-cpp-dev libexpected-dev
  prometheus-cpp-dev libhowardhinnant-date-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  tzdata ca-certificates openssl
  postgresql
  python3-minimal python3-jmespath python3-prometheus-client
)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them with apt-get) and try again" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
