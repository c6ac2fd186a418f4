#!/usr/bin/env bash
# host_live.sh - `kansatsu host` on the machine running the test: a copy
# of sleep started from /tmp under the name "[kworker/0:1]" and deleted
# must be reported with its PID as a deleted executable, an executable
# in /tmp and a kernel-thread mimic; real kernel threads must not be.
. "$(dirname "$0")/lib.sh"

live=$(mktemp -d /tmp/kansatsu-live.XXXXXX)
pid=''
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp" "$live"' EXIT

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

done_ok
