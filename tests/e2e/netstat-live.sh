#!/usr/bin/env bash
# netstat-live.sh - `kansatsu netstat` on this host's live sockets: a
# helper (tests/helper/sockhold.c) holds a listener on an ephemeral port
# of all addresses and a connection to it; kansatsu must show them from
# /proc with the helper's PID and program, and report the listener.
. "$KS_E2E/lib.sh"
: "${SOCKHOLD:?set SOCKHOLD to the sockhold helper}"

k=$KANSATSU
coproc HOLD { exec "$SOCKHOLD"; }
pid=$HOLD_PID
read -r port cport <&"${HOLD[0]}" || fail "sockhold did not start"

"$k" netstat --show --format jsonl >"$tmp/s.jsonl" 2>"$tmp/err"
expect_eq "listener" "$(jq -c --argjson p "$port" 'select(.proto == "tcp" and .state == "LISTEN" and .local.port == $p) | [.pid, .program, .local.host]' "$tmp/s.jsonl")" \
	"[$pid,\"sockhold\",\"\"]"
expect_eq "connection" "$(jq -c --argjson p "$port" --argjson c "$cport" 'select(.proto == "tcp" and .state == "ESTABLISHED" and .local.port == $c) | [.pid, .program, .remote.host, .remote.port]' "$tmp/s.jsonl")" \
	"[$pid,\"sockhold\",\"127.0.0.1\",$port]"
expect_eq "accepted end" "$(jq -c --argjson p "$port" --argjson c "$cport" 'select(.state == "ESTABLISHED" and .local.port == $p and .remote.port == $c) | [.pid, .program]' "$tmp/s.jsonl")" \
	"[$pid,\"sockhold\"]"
expect_grep "summary" "kansatsu: /proc/net:" "$tmp/err"

rc=0
"$k" netstat --format jsonl >"$tmp/f.jsonl" 2>"$tmp/err" || rc=$?
[ "$rc" -le 1 ] || fail "netstat exited $rc: $(cat "$tmp/err")"
expect_eq "the listener reported with its process" \
	"$(jq -c --argjson p "$port" 'select(.rule == "net-listener-unusual" and .destination.port == $p) | [.process.pid, .process.name, .network.protocol, .message]' "$tmp/f.jsonl")" \
	"[$pid,\"sockhold\",\"tcp\",\"TCP port $port listens, held by sockhold\"]"
expect_eq "not hidden" "$(jq -c --argjson p "$port" 'select(.rule == "net-hidden-port" and .destination.port == $p)' "$tmp/f.jsonl")" ""
expect_eq "host name" "$(jq -r --argjson p "$port" 'select(.destination.port == $p) | .host.name' "$tmp/f.jsonl")" "$(uname -n)"

exec {HOLD[1]}>&-
wait "$pid" || fail "sockhold exited with an error"
done_ok
