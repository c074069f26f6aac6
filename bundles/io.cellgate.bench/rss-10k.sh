#!/usr/bin/env bash
# Heap and RSS of the gateway running a 10,000-tag cell (docs/benchmarks.md, benchmark 3).
#
# Writes the synthetic cell (40 Modbus TCP devices x 250 tags on 127.0.0.1:16000..16039), serves its
# devices from a second JVM with the project's simulator, starts the real gateway jar on it with the
# service's JVM flags, lets it poll for WARMUP seconds, checks that every device is polled without
# errors, then samples VmRSS / VmHWM (/proc/PID/status) and the heap (jcmd GC.heap_info) SAMPLES times,
# INTERVAL seconds apart, and prints a table.
#
# Needs: bundles/io.cellgate.bench/target/benchmarks.jar (mvn package in this module) and
# distrib/target/cellgate.jar (the full build). Environment: WARMUP (60), SAMPLES (7), INTERVAL (5),
# BASE_PORT (16000), KEEP=1 keeps the work directory.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BENCH_JAR=${BENCH_JAR:-$HERE/target/benchmarks.jar}
GATEWAY_JAR=${GATEWAY_JAR:-$ROOT/distrib/target/cellgate.jar}
WARMUP=${WARMUP:-60}
SAMPLES=${SAMPLES:-7}
INTERVAL=${INTERVAL:-5}
BASE_PORT=${BASE_PORT:-16000}
DEVICES=40
# The JVM flags of the service, read from its unit so that the benchmark never drifts from what ships.
UNIT=$ROOT/distrib/src/deb/systemd/cellgate.service
read -r -a GATEWAY_FLAGS <<<"$(sed -n 's/^Environment="JAVA_OPTS=\(.*\)"$/\1/p' "$UNIT")"
[[ ${#GATEWAY_FLAGS[@]} -gt 0 ]] || { echo "no JAVA_OPTS in $UNIT" >&2; exit 2; }
echo "gateway JVM flags (from $UNIT): ${GATEWAY_FLAGS[*]}"

for jar in "$BENCH_JAR" "$GATEWAY_JAR"; do
  [[ -f $jar ]] || { echo "missing $jar (build it first, see docs/benchmarks.md)" >&2; exit 2; }
done

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

WORK=$(mktemp -d /tmp/cellgate-rss10k.XXXXXX)
SIM_PID=""
GW_PID=""
cleanup() {
  [[ -n $GW_PID ]] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null || true
  [[ -n $SIM_PID ]] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

java -cp "$BENCH_JAR" io.cellgate.bench.cell.SyntheticCell "$WORK/cell" "$BASE_PORT"

: >"$WORK/simulator.log"
java -Xmx512m -cp "$BENCH_JAR" io.cellgate.bench.cell.SimulateCell "$WORK/cell" >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 60); do
  grep -q '^ready' "$WORK/simulator.log" && break
  kill -0 "$SIM_PID" 2>/dev/null || { echo "simulator died:" >&2; cat "$WORK/simulator.log" >&2; exit 1; }
  sleep 0.5
done
grep -q '^ready' "$WORK/simulator.log" || { echo "simulator not ready after 30 s" >&2; exit 1; }
echo "simulator: $(grep '^ready' "$WORK/simulator.log")"

mkdir -p "$WORK/state"
java "${GATEWAY_FLAGS[@]}" -Dcellgate.log.dir="$WORK/state/logs" -jar "$GATEWAY_JAR" \
  --config "$WORK/cell" --state "$WORK/state" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
echo "gateway: pid $GW_PID, warming up ${WARMUP}s"
for _ in $(seq 1 "$WARMUP"); do
  kill -0 "$GW_PID" 2>/dev/null || { echo "gateway died:" >&2; tail -50 "$WORK/gateway.log" >&2; exit 1; }
  sleep 1
done

# Health after the warm-up: every device polling its 250 tags over a connection of its own, every
# simulator with a client, and in the next INTERVAL*2 seconds no WARN/ERROR and no reconnect in the log.
# (In --config mode the gateway logs no per-tag quality; a failing poll shows as a reconnect.)
polling=$(grep -o "Device '[^']*' polling 250 tags" "$WORK/gateway.log" | sort -u | wc -l)
tcp=$(grep -o "Connected to Modbus TCP [^ ]*" "$WORK/gateway.log" | sort -u | wc -l)
connected=$(grep '^status' "$WORK/simulator.log" | tail -1 | sed -n 's/.* \([0-9]*\) with a client.*/\1/p')
lines_before=$(wc -l <"$WORK/gateway.log")
sleep $((INTERVAL * 2))
problems=$(tail -n +"$((lines_before + 1))" "$WORK/gateway.log" | grep -c -E ' (WARN|ERROR) |reconnecting' || true)
echo "after warm-up: devices polling 250 tags: $polling/$DEVICES, TCP connections: $tcp/$DEVICES," \
  "simulators with a client: ${connected:-?}/$DEVICES, WARN/ERROR/reconnect lines in $((INTERVAL * 2)) s: $problems"
healthy=yes
[[ $polling -ge $DEVICES && $tcp -ge $DEVICES && ${connected:-0} -ge $DEVICES && $problems -eq 0 ]] || healthy=no

echo
echo "| sample | t (s) | VmRSS (MiB) | VmHWM (MiB) | heap used (MiB) | heap committed (MiB) | metaspace used (MiB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
max_rss=0
for i in $(seq 1 "$SAMPLES"); do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$GW_PID/status")
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$GW_PID/status")
  # Serial GC: "def new generation total NK, used NK" and "tenured generation total NK, used NK".
  heap=$(jcmd "$GW_PID" GC.heap_info 2>/dev/null | awk '
    /generation/ { for (f = 1; f <= NF; f++) { if ($f == "total") { gsub(/[K,]/, "", $(f+1)); t += $(f+1) }
                                              if ($f == "used") { gsub(/[K,]/, "", $(f+1)); u += $(f+1) } } }
    /Metaspace/ { for (f = 1; f <= NF; f++) if ($f == "used") { gsub(/[K,]/, "", $(f+1)); m = $(f+1) } }
    END { printf "%.1f %.1f %.1f", u / 1024, t / 1024, m / 1024 }')
  read -r used committed meta <<<"$heap"
  printf '| %d | %d | %s | %s | %s | %s | %s |\n' "$i" $(((i - 1) * INTERVAL)) "$(mib "$rss")" "$(mib "$hwm")" \
    "$used" "$committed" "$meta"
  ((rss > max_rss)) && max_rss=$rss
  ((i < SAMPLES)) && sleep "$INTERVAL"
done
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$GW_PID/status")
echo
# The goal is 256 MB = 256,000,000 bytes = 250,000 KiB (244.1 MiB); /proc reports KiB.
printf 'max VmRSS %s MiB, VmHWM %s MiB; goal <= 256 MB (244.1 MiB) RSS: %s; cell healthy during the run: %s\n' \
  "$(mib "$max_rss")" "$(mib "$hwm")" \
  "$([[ $hwm -le 250000 ]] && echo met || echo NOT met)" "$healthy"
[[ $healthy == yes ]]
