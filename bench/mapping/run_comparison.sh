#!/bin/sh
# Runs the hub's mapping benchmark and the Node comparison one after the other
# on the same machine. Usage: bench/mapping/run_comparison.sh BUILD_DIR [seconds]
set -eu
build=${1:?usage: run_comparison.sh BUILD_DIR [seconds]}
seconds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
echo "== load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "== hub (Google Benchmark, one thread)"
"$build/bench/mapping/mapping_bench" --benchmark_filter='KingdeeSalesOrder' --benchmark_min_time="$seconds"
echo "== node"
if [ ! -d "$here/node/node_modules" ]; then (cd "$here/node" && npm install --no-audit --no-fund >/dev/null); fi
node "$here/node/bench.js" "$seconds"
