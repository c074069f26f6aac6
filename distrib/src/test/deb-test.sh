#!/usr/bin/env bash
# Tests the Debian package: its contents and modes, its control data, the systemd unit and, when
# run as root, a real install: the service user, ownership, the jar running as that user, and purge.
# Systemd itself may not run here, so the unit is checked statically (systemd-analyze where present).
set -uo pipefail
deb=${1:?usage: deb-test.sh PACKAGE.deb}
pass=0; fail=0
ok()   { pass=$((pass+1)); echo "  ok   $*"; }
bad()  { fail=$((fail+1)); echo "  FAIL $*"; }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi; }

echo "deb-test: $deb"
contents=$(dpkg-deb -c "$deb")
has() { grep -qE "$1" <<<"$contents"; }
check "jar in /usr/share/cellgate, 0644 root"        has '^-rw-r--r-- root/root .* \./usr/share/cellgate/cellgate\.jar$'
check "systemd unit in /lib/systemd/system"           has '^-rw-r--r-- root/root .* \./lib/systemd/system/cellgate\.service$'
check "cell.yaml in /etc/cellgate, not world-readable" has '^-rw-r----- root/root .* \./etc/cellgate/cell\.yaml$'
check "profiles in /etc/cellgate/profiles"            has '\./etc/cellgate/profiles/.+\.yaml$'
check "no world-readable file under /etc/cellgate"    bash -c "! grep -E '^-.......r.. .*\./etc/cellgate/' <<<\"\$0\"" "$contents"
check "docs installed"                                has '\./usr/share/doc/cellgate/README\.md$'
# /usr/bin/cellgate (the administration wrapper) needs its <data> entry in distrib/pom.xml.
if has '\./usr/bin/cellgate$'; then wrapper=yes; else wrapper=no; echo "  SKIP /usr/bin/cellgate is not in the package yet"; fi
[ $wrapper = yes ] && check "wrapper /usr/bin/cellgate, 0755 root" has '^-rwxr-xr-x root/root .* \./usr/bin/cellgate$'

info=$(dpkg-deb -f "$deb" Package Architecture Depends)
check "package name cellgate"      grep -q '^Package: cellgate$' <<<"$info"
check "architecture all"           grep -q '^Architecture: all$' <<<"$info"
check "depends on a Java 17 runtime" grep -q 'openjdk-17-jre-headless' <<<"$info"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dpkg-deb -e "$deb" "$tmp/control"
dpkg-deb -x "$deb" "$tmp/root"
for s in postinst prerm postrm; do check "maintainer script $s is valid sh" sh -n "$tmp/control/$s"; done
check "conffiles list /etc/cellgate/cell.yaml" grep -qx '/etc/cellgate/cell.yaml' "$tmp/control/conffiles"
unit="$tmp/root/lib/systemd/system/cellgate.service"
check "unit runs as user cellgate"           grep -qx 'User=cellgate' "$unit"
check "unit runs the jar with --config /etc/cellgate" grep -q -- '-jar /usr/share/cellgate/cellgate.jar --config /etc/cellgate --state /var/lib/cellgate' "$unit"
check "unit bounds the heap"                 grep -q -- '-Xmx160m' "$unit"
check "unit restarts the gateway"            grep -qx 'Restart=always' "$unit"
check "unit forbids privilege gain"          grep -qx 'NoNewPrivileges=yes' "$unit"
check "unit counts a SIGTERM stop as success" grep -qx 'SuccessExitStatus=143' "$unit"
if command -v systemd-analyze >/dev/null; then
  # Only the unit's own syntax is judged: this machine may lack java at /usr/bin/java or a running systemd.
  out=$(systemd-analyze verify "$unit" 2>&1 | grep -v -e 'Command /usr/bin/java is not executable' -e 'No such file' -e 'Failed to prepare filename' -e 'Unit is bound to inactive' || true)
  if [ -z "$out" ]; then ok "systemd-analyze verify"; else bad "systemd-analyze verify: $out"; fi
fi

if [ "$(id -u)" = "0" ] && command -v dpkg >/dev/null; then
  echo "deb-test: installing the package (root)"
  dpkg --purge cellgate >/dev/null 2>&1 || true
  if dpkg -i "$deb" >"$tmp/install.log" 2>&1; then ok "dpkg -i"; else bad "dpkg -i: $(tail -5 "$tmp/install.log")"; fi
  check "system user cellgate exists"     getent passwd cellgate
  check "cellgate has no login shell"     bash -c '[ "$(getent passwd cellgate | cut -d: -f7)" = /usr/sbin/nologin ]'
  check "cellgate is a system user"       bash -c '[ "$(id -u cellgate)" -lt 1000 ]'
  check "/var/lib/cellgate owned by cellgate, 0750" bash -c '[ "$(stat -c %U:%a /var/lib/cellgate)" = cellgate:750 ]'
  check "/etc/cellgate root:cellgate 0750" bash -c '[ "$(stat -c %U:%G:%a /etc/cellgate)" = root:cellgate:750 ]'
  check "/etc/cellgate/cell.yaml 0640"     bash -c '[ "$(stat -c %U:%G:%a /etc/cellgate/cell.yaml)" = root:cellgate:640 ]'
  out=$(runuser -u cellgate -- java -jar /usr/share/cellgate/cellgate.jar --help 2>&1); rc=$?
  if [ $rc = 0 ] && grep -q 'Usage: java -jar cellgate.jar' <<<"$out"; then ok "jar runs as cellgate (--help)"; else bad "jar --help as cellgate: rc=$rc $(tail -3 <<<"$out")"; fi
  # The service's own command line, as the service user: it must load /etc/cellgate and keep running.
  # In a network namespace of its own: the service binds its OPC UA port on all addresses, and a test
  # binds to nothing beyond this machine's loopback.
  # Waits for the state (the cell applied), bounded generously: on a loaded 2-core CI machine the JVM alone can
  # take more than 20 s to get there.
  unshare --net runuser -u cellgate -- timeout 180 java -Xmx160m -XX:+UseSerialGC -Dcellgate.log.dir=/var/lib/cellgate/logs \
      -jar /usr/share/cellgate/cellgate.jar --config /etc/cellgate --state /var/lib/cellgate >"$tmp/run.log" 2>&1 &
  runner=$!
  for _ in $(seq 1 340); do grep -q 'configuration applied\|applied configuration\|cell .* applied' "$tmp/run.log" && break; sleep 0.5; done
  if grep -qi 'applied' "$tmp/run.log"; then ok "service command line loads /etc/cellgate as cellgate"; else bad "service command line: $(tail -5 "$tmp/run.log")"; fi
  kill "$runner" 2>/dev/null; wait "$runner" 2>/dev/null
  check "log file written under /var/lib/cellgate/logs" test -s /var/lib/cellgate/logs/cellgate.log
  if [ $wrapper = yes ]; then
    out=$(cellgate pki list 2>&1); rc=$?
    if [ $rc = 0 ] && grep -q '/var/lib/cellgate/pki' <<<"$out"; then ok "cellgate pki list (root, as cellgate)"; else bad "cellgate pki list: rc=$rc $(tail -3 <<<"$out")"; fi
    out=$(cellgate user list 2>&1); rc=$?
    if [ $rc = 0 ] && grep -q 'admin' <<<"$out"; then ok "cellgate user list shows the first-start admin"; else bad "cellgate user list: rc=$rc $(tail -3 <<<"$out")"; fi
    check "files made by the commands belong to cellgate" bash -c '[ -z "$(find /var/lib/cellgate ! -user cellgate)" ]'
    out=$(runuser -u nobody -- cellgate user list 2>&1); rc=$?
    if [ $rc = 1 ] && grep -q 'run this as root' <<<"$out"; then ok "wrapper refuses another user"; else bad "wrapper as nobody: rc=$rc $out"; fi
  fi
  check "dpkg --purge" dpkg --purge cellgate
  check "purge removes the user"     bash -c '! getent passwd cellgate'
  check "purge removes the state"    bash -c '[ ! -e /var/lib/cellgate ]'
else
  echo "deb-test: not root, install test skipped"
fi

echo "deb-test: $pass passed, $fail failed"
[ "$fail" = 0 ]
