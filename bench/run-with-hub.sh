#!/usr/bin/env bash
# Starts the hub jar with a fresh embedded PostgreSQL and the `bench` store, runs the benchmark
# against it, then stops the hub. Build the hub first: mvn -q -DskipTests package
# Extra arguments go to the benchmark (e.g. --events=50000). Environment knobs:
#   HUB_PORT (8080), MANAGEMENT_PORT (8081: the hub's metrics, read for its JIT activity), PG_PORT (55432), SINK_PORT (9999), TALLY_ADMIN_TOKEN (bench-token), HUB_JAVA_OPTS,
#   HUB_ARGS (extra hub arguments, e.g. --tally.ledger.batch-interval-ms=50),
#   SETTLE_SECONDS (15: idle time between the hub answering and the first measurement),
#   REPLICAS (1; 2 starts a second hub on the first one's PostgreSQL, on HUB2_PORT 8082 / MANAGEMENT2_PORT 8083,
#   and the senders post to both: docs/scaling.md section 4),
#   BENCH_MAIN (io.tally.bench.IngestBenchmark; io.tally.bench.CatalogImportBenchmark measures the CSV import;
#   io.tally.bench.CatalogScaleCheck times the API and the hub's memory with a large catalog)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

hub_port="${HUB_PORT:-8080}"
management_port="${MANAGEMENT_PORT:-8081}"
pg_port="${PG_PORT:-55432}"
sink_port="${SINK_PORT:-9999}"
token="${TALLY_ADMIN_TOKEN:-bench-token}"

jar="$(ls "$root"/hub/target/tally-*-exec.jar 2>/dev/null | head -n 1 || true)"
if [[ -z "$jar" ]]; then
  echo "no hub jar in $root/hub/target: build it first with (cd $root && mvn -q -DskipTests package)" >&2
  exit 1
fi

work="$(mktemp -d -t tally-bench-XXXXXX)"
hub_log="$work/hub.log"
echo "hub: $jar, log $hub_log, data $work/pg"

# The hub loads config/ and routes/ from its working directory: start it from the repository root.
cd "$root"
# shellcheck disable=SC2086 # HUB_JAVA_OPTS and HUB_ARGS are lists of options
java ${HUB_JAVA_OPTS:-} -jar "$jar" \
  --server.port="$hub_port" \
  --management.server.port="$management_port" \
  --tally.admin-token="$token" \
  --tally.embedded-db.data-dir="$work/pg" \
  --tally.embedded-db.port="$pg_port" \
  --tally.stores.bench.channel=http \
  --tally.stores.bench.push-url="http://127.0.0.1:$sink_port/push" \
  ${HUB_ARGS:-} \
  >"$hub_log" 2>&1 &
hub_pid=$!
launched_ms="$(date +%s%3N)"
hub2_pid=""
stop_hub() {
  if [[ -n "$hub2_pid" ]]; then
    kill "$hub2_pid" 2>/dev/null || true
    wait "$hub2_pid" 2>/dev/null || true
  fi
  kill "$hub_pid" 2>/dev/null || true
  wait "$hub_pid" 2>/dev/null || true
  rm -rf "$work/pg" # the scratch database; the hub log stays for inspection
}
trap stop_hub EXIT

echo -n "waiting for the hub on port $hub_port "
for _ in $(seq 1 180); do
  if ! kill -0 "$hub_pid" 2>/dev/null; then
    echo; echo "the hub exited; last lines of $hub_log:" >&2; tail -n 40 "$hub_log" >&2; exit 1
  fi
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$hub_port/api/listings?store=bench" || true)"
  [[ "$code" == "200" ]] && break
  echo -n "."; sleep 1
done
echo
[[ "$code" == "200" ]] || { echo "the hub did not answer in 180 s; see $hub_log" >&2; exit 1; }
answered_ms="$(date +%s%3N)"
echo "start-up: the hub answered $(( answered_ms - launched_ms )) ms after launch; Spring says: $(grep -o 'Started TallyApplication in [0-9.]* seconds' "$hub_log" | head -n 1)"

event_urls="http://127.0.0.1:$hub_port"
if [[ "${REPLICAS:-1}" == "2" ]]; then
  hub2_port="${HUB2_PORT:-8082}"
  # A second replica of the same jar and config on the first hub's (embedded) PostgreSQL, as docs/scaling.md runs N.
  # shellcheck disable=SC2086
  java ${HUB_JAVA_OPTS:-} -jar "$jar" \
    --server.port="$hub2_port" \
    --management.server.port="${MANAGEMENT2_PORT:-8083}" \
    --tally.admin-token="$token" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:$pg_port/postgres" \
    --spring.datasource.username=postgres \
    --spring.datasource.password=postgres \
    --tally.stores.bench.channel=http \
    --tally.stores.bench.push-url="http://127.0.0.1:$sink_port/push" \
    ${HUB_ARGS:-} \
    >"$work/hub-2.log" 2>&1 &
  hub2_pid=$!
  echo -n "waiting for replica 2 on port $hub2_port "
  for _ in $(seq 1 180); do
    kill -0 "$hub2_pid" 2>/dev/null || { echo; tail -n 40 "$work/hub-2.log" >&2; exit 1; }
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$hub2_port/api/listings?store=bench" || true)"
    [[ "$code" == "200" ]] && break
    echo -n "."; sleep 1
  done
  echo
  [[ "$code" == "200" ]] || { echo "replica 2 did not answer in 180 s; see $work/hub-2.log" >&2; exit 1; }
  event_urls="$event_urls,http://127.0.0.1:$hub2_port"
fi
# Let start-up work (JIT compilation, recovery and sweep jobs) settle before anything is measured.
sleep "${SETTLE_SECONDS:-15}"

HUB_PID="$hub_pid" TALLY_ADMIN_TOKEN="$token" "$here/run.sh" \
  --hub-url="http://127.0.0.1:$hub_port" \
  --event-urls="$event_urls" \
  --hub-metrics-url="http://127.0.0.1:$management_port/actuator/prometheus" \
  --sink-port="$sink_port" \
  --jdbc-url="jdbc:postgresql://127.0.0.1:$pg_port/postgres" \
  "$@"
