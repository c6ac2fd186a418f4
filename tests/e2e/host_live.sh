#!/usr/bin/env bash
# host_live.sh - `kansatsu host` on the machine running the test: a copy
# of sleep started from /tmp under the name "[kworker/0:1]" and deleted
# must be reported with its PID as a deleted executable, an executable
# in /tmp and a kernel-thread mimic; real kernel threads must not be.
# Then the same disguise on a program that listens (tests/helper/
# sockhold.c): its listener is reported with the same PID as well.
. "$(dirname "$0")/lib.sh"

live=$(mktemp -d /tmp/kansatsu-live.XXXXXX)
pid=''
pid2=''
# (the listener may be gone already: a failing kill must not fail the test)
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
      [ -z "$pid2" ] || kill "$pid2" 2>/dev/null || true
      rm -rf "$tmp" "$live"' EXIT

sleep_bin=/bin/sleep
[ -x "$sleep_bin" ] || sleep_bin=/usr/bin/sleep
cp "$sleep_bin" "$live/kw"
(exec -a '[kworker/0:1]' "$live/kw" 300) &
pid=$!
for _ in $(seq 50); do
	[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$live/kw" ] && break
	sleep 0.1
done
expect_eq "the process runs the copy" "$(readlink "/proc/$pid/exe")" "$live/kw"
rm "$live/kw"

rc=0
"$KANSATSU" host --check processes --format jsonl -q >"$tmp/out" 2>"$tmp/err" ||
    rc=$?
[ "$rc" -le 1 ] || fail "kansatsu host exited $rc: $(cat "$tmp/err")"
got=$(jq -r --argjson pid "$pid" 'select(.process.pid == $pid) | .rule' \
    "$tmp/out" | LC_ALL=C sort)
expect_eq "findings of the process" "$got" "process-exe-deleted
process-exe-tmp
process-kthread-mimic"
expect_eq "deleted exe" "$(jq -r --argjson pid "$pid" \
    'select(.process.pid == $pid and .rule == "process-exe-deleted") |
     .process.executable' "$tmp/out")" "$live/kw"
expect_grep "evidence names the copy as deleted" "exe $live/kw (deleted): [kworker/0:1] 300" "$tmp/out"
expect_eq "mimic severity" "$(jq -r --argjson pid "$pid" \
    'select(.process.pid == $pid and .rule == "process-kthread-mimic") |
     .severity' "$tmp/out")" "high"

# real kernel threads are not mimics
for k in /proc/[0-9]*; do
	read -r _ _ _ _ _ _ _ _ flags _ <"$k/stat" 2>/dev/null || continue
	if [ $((flags & 0x200000)) -ne 0 ]; then
		kt=${k#/proc/}
		break
	fi
done
if [ -n "${kt:-}" ]; then
	expect_eq "kernel thread $kt not reported" "$(jq -r --argjson pid "$kt" \
	    'select(.process.pid == $pid) | .rule' "$tmp/out")" ""
fi

# the plain view shows the process as ps -axf would, with the truth
"$KANSATSU" host --show processes >"$tmp/view" 2>"$tmp/err"
expect_grep "ps view" "[kworker/0:1] 300  <exe deleted: $live/kw>" "$tmp/view"

# a listener from a deleted copy in /tmp, named like a kernel thread;
# it holds its sockets while the fifo on its stdin stays open
[ -n "${SOCKHOLD:-}" ] || fail "SOCKHOLD not set"
cp "$SOCKHOLD" "$live/kw2"
mkfifo "$live/hold"
(exec -a '[kworker/0:1]' "$live/kw2" <"$live/hold" >"$live/ports") &
pid2=$!
exec 9>"$live/hold"
for _ in $(seq 50); do
	[ -s "$live/ports" ] && break
	sleep 0.1
done
read -r port _ <"$live/ports" || fail "the listener did not start"
rm "$live/kw2"
rc=0
"$KANSATSU" host --check processes,sockets --format jsonl -q >"$tmp/out2" \
    2>"$tmp/err" || rc=$?
[ "$rc" -le 1 ] || fail "kansatsu host exited $rc: $(cat "$tmp/err")"
expect_eq "findings of the listening process" "$(jq -r --argjson pid "$pid2" \
    'select(.process.pid == $pid) | .rule' "$tmp/out2" | LC_ALL=C sort -u)" \
    "net-listener-unusual
process-exe-deleted
process-exe-tmp
process-kthread-mimic"
expect_grep "the listener's port" "0.0.0.0:$port" "$tmp/out2"
exec 9>&-

done_ok
