#!/usr/bin/env bash
# Starts the example landscape from a built tree: the Kingdee and DMS
# simulators seeded with the same dealer business, the hub on SQLite with
# deploy/examples/landscape.yaml, the first run of every flow; prints what
# was synchronised and where to look, then runs until Ctrl-C.
# Usage: deploy/landscape.sh [BUILD_DIR] [--nodes N] [--store sqlite|postgresql]
#   --store postgresql starts a local PostgreSQL cluster (deploy/pg_cluster.sh,
#   removed again on Ctrl-C) and --nodes N runs N hubs on it, on ports 8080,
#   8081, ...; the first receives the DMS webhooks, the leader fires schedules.
# Environment: LANDSCAPE_SEED (1), LANDSCAPE_SCALE (1 = 300 dealers, 200
# products, 2 000 orders; 0.1 for a quick look), HUB_PORT is fixed by the
# config (8080), simulators on 8091 (Kingdee) and 8092 (DMS).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
nodes=1
store=sqlite
while (($#)); do
  case "$1" in
    --nodes) nodes=${2:?--nodes N}; shift 2 ;;
    --store) store=${2:?--store sqlite|postgresql}; shift 2 ;;
    -*) echo "landscape: unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
[[ $nodes =~ ^[1-9]$ ]] || { echo "landscape: --nodes takes 1 to 9" >&2; exit 2; }
[[ $store == sqlite || $store == postgresql ]] || { echo "landscape: --store takes sqlite or postgresql" >&2; exit 2; }
if [[ $store == sqlite && $nodes -gt 1 ]]; then
  echo "landscape: several hubs share a store on PostgreSQL: add --store postgresql" >&2
  exit 2
fi
hub="$build/hub/hub"
sim="$build/connectors/sim/hub-sim"
config="$root/deploy/examples/landscape.yaml"
data="$root/data"
logs="$data/logs"
secrets="$data/secrets"
seed=${LANDSCAPE_SEED:-1}
scale=${LANDSCAPE_SCALE:-1}
flows=(customers materials stock orders shipments invoices-special invoices-ordinary)

for bin in "$hub" "$sim"; do
  [[ -x $bin ]] || { echo "landscape: $bin is missing; build first (deploy/build.sh release)" >&2; exit 1; }
done
ports=(8091 8092)
for ((n = 0; n < nodes; n++)); do ports+=($((8080 + n))); done
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "landscape: port $port is in use; stop what listens there first" >&2
    exit 1
  fi
done

mkdir -p "$logs" "$secrets"
chmod 700 "$secrets"
umask 077
# The simulators' credentials (printed by hub-sim on stderr); a real landscape
# gets them from the systems' administrators. The webhook secret is ours.
printf '%s\n' 0123456789abcdef0123456789abcdef >"$secrets/kingdee_app_secret"
[[ -s $secrets/dms_webhook_secret ]] || printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$secrets/dms_webhook_secret"
printf '%s\n' dms-sim-secret >"$secrets/dms_client_secret"
DMS_CLIENT_SECRET=$(cat "$secrets/dms_client_secret")
export DMS_CLIENT_SECRET
umask 022

# The simulators keep their data in memory, so the hub starts from an empty store too.
rm -f "$data"/hub.db "$data"/hub.db-wal "$data"/hub.db-shm

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "Stopping the hub and the simulators…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $store == postgresql ]]; then "$root/deploy/pg_cluster.sh" stop "$data/pg" >/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() {  # URL: until it answers
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "landscape: $1 did not come up; see $logs/" >&2
  exit 1
}

echo "Starting the simulators (seed $seed, scale $scale)…"
"$sim" kingdee --port 8091 --seed "$seed" --scale "$scale" >"$logs/kingdee-sim.out" 2>"$logs/kingdee-sim.log" &
pids+=($!)
"$sim" dms --port 8092 --seed "$seed" --scale "$scale" \
  --webhook-url http://127.0.0.1:8080/webhooks/orders --webhook-secret "$(cat "$secrets/dms_webhook_secret")" \
  >"$logs/dms-sim.out" 2>"$logs/dms-sim.log" &
pids+=($!)
wait_for http://127.0.0.1:8091/__sim/stats
wait_for http://127.0.0.1:8092/__sim/stats

if [[ $store == postgresql ]]; then
  echo "Starting a local PostgreSQL cluster for $nodes hub(s)…"
  "$root/deploy/pg_cluster.sh" start "$data/pg"
  [[ -s $data/pg/url ]] || { echo "landscape: no PostgreSQL server here (apt-get install postgresql)" >&2; exit 1; }
  server=$(cat "$data/pg/url")
  psql -q "$server" -c "CREATE DATABASE hub" >/dev/null
  url=${server%/postgres}/hub
  # One config per node beside the store's data, written from the example:
  # PostgreSQL instead of SQLite, its own port, its own endpoint file.
  configs=()
  for ((n = 1; n <= nodes; n++)); do
    node_config="$data/landscape-node$n.yaml"
    sed -e "s|127.0.0.1:8080|127.0.0.1:$((8079 + n))|" \
        -e "s|  driver: sqlite|  driver: postgresql\n  url: '$url'|" \
        -e "s|path: ../../data/hub.db|path: hub-node$n.db|" \
        -e "s|\.\./\.\./data/||g" -e "s|\.\./\.\./mappings|../mappings|g" "$config" >"$node_config"
    configs+=("$node_config")
  done
  config=${configs[0]}
  "$build/hub/hub" store migrate --config "$config" >/dev/null
else
  configs=("$config")
fi
"$hub" config check "$config"
for ((n = 1; n <= nodes; n++)); do
  log="$logs/hub.log"
  ((nodes > 1)) && log="$logs/hub-node$n.log"
  echo "Starting hub $n of $nodes on port $((8079 + n)) (log: $log)…"
  "$hub" serve --config "${configs[$((n - 1))]}" >>"$log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$((8079 + n))/healthz"
done

echo "First run of every flow (dealers and products first: orders, stock and invoices refer to them)…"
for flow in "${flows[@]}"; do
  printf '  %-18s ' "$flow"
  "$hub" flow run "$flow" --config "$config" --timeout 5m 2>>"$logs/cli.log" | tail -n 1
done

echo "Waiting for parked records (waiting for a reference) and webhooks to settle…"
for _ in $(seq 1 120); do
  busy=$("$hub" flow list --config "$config" 2>/dev/null | awk '/queue:/ {n += $2 + $4} END {print n + 0}')
  pending=$(curl -s http://127.0.0.1:8092/__sim/stats | sed -n 's/.*"webhooks_pending":\([0-9]*\).*/\1/p')
  [[ $busy == 0 && ${pending:-0} == 0 ]] && break
  sleep 1
done

echo
echo "What was synchronised:"
printf '  %-18s %9s %9s %9s %13s\n' FLOW PULLED DELIVERED PARKED "DEAD LETTERS"
for flow in "${flows[@]}"; do
  read -r pulled delivered < <("$hub" runs list --flow "$flow" --limit 100000 --config "$config" |
    awk 'NR > 1 { p += $(NF-5); d += $(NF-3) } END { print p + 0, d + 0 }')
  read -r parked dead < <("$hub" flow list --config "$config" |
    awk -v f="$flow" '$1 == f { on = 1; next } /^[^ ]/ { on = 0 } on && /queue:/ { print $4, $6 }')
  printf '  %-18s %9s %9s %9s %13s\n' "$flow" "$pulled" "$delivered" "${parked:-0}" "${dead:-0}"
done
echo
echo "Kingdee simulator: $(curl -s http://127.0.0.1:8091/__sim/stats)"
echo "DMS simulator:     $(curl -s http://127.0.0.1:8092/__sim/stats)"

token=$("$hub" token create --role admin --name "landscape-$(date +%s)" --config "$config" 2>/dev/null)
echo "$token" >"$secrets/admin_token"
chmod 600 "$secrets/admin_token"
cat <<INFO

Where to look (the CLI reads the landscape's config, which takes the DMS secret from the
environment: first  export DMS_CLIENT_SECRET=\$(cat data/secrets/dms_client_secret)):
  Admin API     http://127.0.0.1:8080/api/v1/flows   (token in data/secrets/admin_token)
                curl -H "Authorization: Bearer \$(cat data/secrets/admin_token)" http://127.0.0.1:8080/api/v1/flows
  Metrics       http://127.0.0.1:8080/metrics
  Dead letters  $hub dlq list --config $config
  One record    $hub trace sales_order SO… --config $config
  Logs          $logs/
  Simulators    Kingdee http://127.0.0.1:8091/k3cloud/  DMS http://127.0.0.1:8092/api/v1 (token dms-sim-token)
                new DMS orders: curl -X POST http://127.0.0.1:8092/__sim/orders -d '{"count": 5}'

The flows keep running on their schedules (orders also on each DMS webhook). Ctrl-C stops everything.
INFO
wait "${pids[2]}"  # the first hub
