#!/usr/bin/env bash
# Starts the example landscape from a built tree: the hub on SQLite with
# deploy/examples/hub.yaml. Usage: deploy/landscape.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
data="$root/data"
mkdir -p "$data"
config="$root/deploy/examples/hub.yaml"
"$build/hub/hub" config check "$config"
echo "Starting the hub (Ctrl-C stops it; data in $data)"
exec "$build/hub/hub" serve --config "$config"
