#!/usr/bin/env bash
# Interoperability test of the demo with an independent OPC UA client (node-opcua), the way an OT
# engineer would connect a third-party client: first connection refused (our certificate is not trusted),
# `cellgate pki trust`, then sessions with SignAndEncrypt and a user name on every secure policy.
# Usage: run.sh <cellgate.jar> <work dir>. Needs node and npm (npm ci from the npm registry).
set -euo pipefail
JAR=$(readlink -f "$1"); WORK=$2
HERE=$(cd "$(dirname "$0")" && pwd)
URL=opc.tcp://127.0.0.1:4840/cellgate

for port in 4840 15020 15021 15022; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    echo "interop: port $port on 127.0.0.1 is in use (a running demo?): the demo needs it" >&2; exit 1
  fi
done
command -v node >/dev/null && command -v npm >/dev/null || { echo "interop: node and npm are required" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK"
cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/client.mjs" "$WORK/"
(cd "$WORK" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

STATE=$WORK/state LOG=$WORK/gateway.log
java -jar "$JAR" --demo --state "$STATE" >"$LOG" 2>&1 &
GW=$!
trap 'kill $GW 2>/dev/null; wait $GW 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  grep -q "OPC UA server listening" "$LOG" && break
  kill -0 $GW 2>/dev/null || { cat "$LOG" >&2; echo "interop: the gateway exited" >&2; exit 1; }
  sleep 0.5
done
grep -q "OPC UA server listening" "$LOG" || { tail -50 "$LOG" >&2; echo "interop: no OPC UA server after 60 s" >&2; exit 1; }
PASSWORD=$(awk '/^   password:/ {print $2; exit}' "$LOG")
[ -n "$PASSWORD" ] || { echo "interop: the demo printed no operator password" >&2; exit 1; }

client() { (cd "$WORK" && node client.mjs "$1" "$URL" "$WORK/client-pki" "$STATE/pki/own/gateway.der" operator "$PASSWORD" 2>"$WORK/client-$1.err") || { cat "$WORK/client-$1.err" >&2; exit 1; }; }

client endpoints
client untrusted
REJECTED=$(java -jar "$JAR" pki list --state "$STATE" | awk '$1 == "rejected" {print $2}')
[ "$(echo "$REJECTED" | grep -c .)" = 1 ] || { echo "interop: expected one rejected certificate, got: $REJECTED" >&2; exit 1; }
java -jar "$JAR" pki trust "$REJECTED" --state "$STATE"
client badpass
client session
grep -q "opcua.write SUCCESS identity=operator" "$LOG" || { echo "interop: the write is not in the audit log" >&2; exit 1; }
echo "interop: node-opcua against the demo: all steps passed"
