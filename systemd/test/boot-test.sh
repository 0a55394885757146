#!/usr/bin/env bash
# boot-test.sh WORK: boots a Debian root file system (rootfs.sh, cached) with systemd-nspawn,
# installs rootmirror with install.sh inside it, and checks the service as systemd runs it:
# active, port 53 held by the unprivileged rootmirror user, a junk TLD answered NXDOMAIN through
# 127.0.0.1 from the local copy, `rootmirror refresh` as root and `status` as a member of the
# rootmirror group (and refused to anyone else).
#
# WORK holds root.zone and anchors.ds: a root zone valid now and its trust anchors (the container
# has no network: --private-network gives it loopback only, so the service syncs from file:).
# The checkout is bound read-only at /srv/rootmirror, WORK at /srv/test, the JDK read-only at
# its own path. The root file system stays untouched: --volatile=overlay keeps every change in
# memory. Needs root, systemd-nspawn (systemd-container) and debootstrap.
set -euo pipefail
work=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
checkout=$(cd "$here/../.." && pwd)
jar=$checkout/resolver/target/rootmirror.jar
java_home=$("$checkout/bin/java-home" --runtime)
[ -f "$jar" ] || { echo "boot-test: $jar is missing: bin/mvn -B -q -DskipTests package" >&2; exit 1; }
rootfs=$("$here/rootfs.sh")

log=$work/nspawn.log
systemd-nspawn --quiet --register=no --keep-unit --private-network --volatile=overlay \
  --directory="$rootfs" --machine=rootmirror-boot-test \
  --bind-ro="$checkout:/srv/rootmirror" --bind-ro="$work:/srv/test" --bind-ro="$java_home" \
  --boot > "$log" 2>&1 < /dev/null &
nspawn=$!
leader=""
cleanup() {
  if [ -n "$leader" ] && kill -0 "$leader" 2>/dev/null; then
    kill -s RTMIN+4 "$leader" 2>/dev/null || true # systemd's "poweroff" signal
  fi
  for _ in $(seq 1 100); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
  kill "$nspawn" 2>/dev/null || true
  wait "$nspawn" 2>/dev/null || true
}
trap cleanup EXIT

# the container's PID 1 is nspawn's child running systemd
for _ in $(seq 1 200); do
  leader=$(ps -o pid=,comm= --ppid "$nspawn" | awk '$2 == "systemd" { print $1 }' || true)
  [ -n "$leader" ] && break
  kill -0 "$nspawn" 2>/dev/null || { echo "boot-test: nspawn exited:"; cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$leader" ] || { echo "boot-test: no systemd in the container:"; cat "$log"; exit 1; }
inside() { nsenter --target "$leader" --all -- env -i PATH=/usr/local/bin:/usr/bin:/usr/sbin:/bin:/sbin "$@"; }

state=""
for _ in $(seq 1 600); do
  state=$(inside systemctl is-system-running 2>/dev/null || true)
  case $state in running|degraded) break ;; esac
  sleep 0.1
done
echo "boot-test: container booted ($state)"

fail() {
  echo "boot-test: FAILED: $*"
  inside systemctl status --no-pager rootmirror || true
  inside journalctl --no-pager -b -u rootmirror | tail -50 || true
  exit 1
}

# the unit's ExecStart reads the configuration file; this test pins the sources on the command
# line instead so that it depends on no configuration format: a drop-in replaces ExecStart
inside mkdir -p /etc/systemd/system/rootmirror.service.d
inside sh -c 'cat > /etc/systemd/system/rootmirror.service.d/boot-test.conf' <<'EOF'
[Service]
ExecStart=
ExecStart=/usr/local/bin/rootmirror run --source file:///srv/test/root.zone --anchors /srv/test/anchors.ds
# pings every second: the checks below outlast a few timeouts
WatchdogSec=2s
EOF
inside /srv/rootmirror/systemd/install.sh --jar /srv/rootmirror/resolver/target/rootmirror.jar \
  || fail "install.sh (it enables and starts the service: Type=notify waits for READY=1)"

[ "$(inside systemctl is-active rootmirror)" = active ] || fail "rootmirror is not active"
# ready comes at once on the fallback (no stored zone yet); STATUS follows the first sync
status=""
for _ in $(seq 1 300); do
  status=$(inside systemctl show -p StatusText --value rootmirror)
  case $status in "serving root zone serial "*) break ;; esac
  sleep 0.2
done
echo "boot-test: status: $status"
case $status in "serving root zone serial "*) ;; *) fail "the zone was not published" ;; esac
pid=$(inside systemctl show -p MainPID --value rootmirror)
user=$(inside ps -o user= -p "$pid")
[ "$user" = rootmirror ] || fail "the main process runs as '$user', not rootmirror"
# install.sh made the start-up cache, and the service starts with it (bin/jvm-launch)
cmdline=$(inside cat "/proc/$pid/cmdline" | tr '\0' ' ')
case $cmdline in
  *-XX:AOTCache=/usr/local/lib/rootmirror/rootmirror-daemon.aot*|*-XX:SharedArchiveFile=/usr/local/lib/rootmirror/rootmirror-daemon.jsa*) ;;
  *) fail "the service does not start with the start-up cache: $cmdline" ;;
esac
inside ss -Hlunp 'sport = :53' | tee "$work/ss.txt"
grep -q "127.0.0.1:53 .*pid=$pid," "$work/ss.txt" || fail "port 53 on 127.0.0.1 is not held by the service ($pid)"

answer=$(inside dig +time=5 +tries=1 @127.0.0.1 nonexistent.nosuchtld. A) || fail "dig"
echo "$answer" | grep -q 'status: NXDOMAIN' || fail "no NXDOMAIN through 127.0.0.1: $answer"
echo "$answer" | grep -q 'flags:.* ad' || fail "the NXDOMAIN is not validated (no AD): $answer"
echo "boot-test: dig @127.0.0.1 nonexistent.nosuchtld: NXDOMAIN, ad"

inside rootmirror refresh || fail "rootmirror refresh as root"
inside useradd --no-create-home --groups rootmirror member
inside useradd --no-create-home outsider
inside runuser -u member -- rootmirror status || fail "rootmirror status as a member of the rootmirror group"
if inside runuser -u outsider -- rootmirror status > "$work/outsider.txt" 2>&1; then fail "status answered someone outside the group"; fi
grep -q "permission denied" "$work/outsider.txt" || fail "status outside the group does not say why: $(cat "$work/outsider.txt")"

# the watchdog was fed for longer than its timeout: still the first process, pinged lately
sleep 2.5
[ "$(inside systemctl is-active rootmirror)" = active ] || fail "rootmirror did not stay active"
[ "$(inside systemctl show -p NRestarts --value rootmirror)" = 0 ] || fail "rootmirror was restarted"
[ "$(inside systemctl show -p MainPID --value rootmirror)" = "$pid" ] || fail "rootmirror was restarted"
[ "$(inside systemctl show -p WatchdogTimestampMonotonic --value rootmirror)" -gt 0 ] || fail "no watchdog ping"

inside systemctl stop rootmirror
[ "$(inside systemctl show -p Result --value rootmirror)" = success ] || fail "the service did not stop cleanly"
echo "boot-test: OK"
