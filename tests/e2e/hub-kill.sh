#!/usr/bin/env bash
# hub-kill.sh - SIGKILL in the middle of a large ingest: every file the
# hub acknowledged (its line on stdout, written after the commit) is
# stored whole, no file is stored in part, and ingesting all the files
# again stores each missing one once and duplicates nothing.
. "$(dirname "$0")/lib.sh"

files=${HUB_KILL_FILES:-40}
per=${HUB_KILL_FINDINGS:-3000}
db=$tmp/kill.db
printf 'site: k\ncontact:\n  email: sec@k.example\ntlp: GREEN\n' >"$tmp/k.yml"
for i in $(seq "$files"); do
	awk -v f="$i" -v n="$per" 'BEGIN {
		for (j = 0; j < n; j++)
			printf "{\"rule\":\"r\",\"title\":\"scan\",\"classification\":{\"taxonomy\":\"information-gathering\",\"type\":\"scanner\"},\"severity\":\"low\",\"host\":{\"name\":\"h\"},\"source\":{\"ip\":\"10.%d.%d.%d\"},\"first_seen\":\"2026-01-10T10:00:00+09:00\",\"last_seen\":\"2026-01-10T10:00:00+09:00\",\"count\":1,\"evidence\":[{\"path\":\"x\",\"line\":%d,\"text\":\"file %d line %d\"}]}\n", f, int(j / 250), j % 250, j + 1, f, j
	}' >"$tmp/f$i.jsonl"
done

: >"$tmp/ack"
"$KANSATSU" hub --db "$db" ingest --reporter "$tmp/k.yml" "$tmp"/f*.jsonl \
    >>"$tmp/ack" 2>"$tmp/err" &
pid=$!
# wait for a few acknowledgements, then kill in the middle
for _ in $(seq 600); do
	[ "$(wc -l <"$tmp/ack")" -ge 3 ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
kill -9 "$pid" 2>/dev/null || fail "the ingest ended before it could be killed"
wait "$pid" 2>/dev/null || true
acked=$(wc -l <"$tmp/ack")
checks=$((checks + 1))
[ "$acked" -ge 3 ] && [ "$acked" -lt "$files" ] ||
	fail "killed after $acked of $files files: not in the middle"

"$KANSATSU" hub --db "$db" --format jsonl reports >"$tmp/stored"
for r in $(sed -n 's/.*: report \([0-9]*\) .*/\1/p' "$tmp/ack"); do
	expect_eq "acknowledged report $r stored whole" \
	    "$(jq -r "select(.report == $r) | .findings" "$tmp/stored")" "$per"
done
expect_eq "no report stored in part" \
    "$(jq -r "select(.findings != $per) | .report" "$tmp/stored")" ""

"$KANSATSU" hub --db "$db" ingest --reporter "$tmp/k.yml" "$tmp"/f*.jsonl \
    >"$tmp/again" 2>&1
expect_eq "acknowledged files are not stored again" \
    "$(grep -c 'already there' "$tmp/again")" "$(wc -l <"$tmp/stored")"
"$KANSATSU" hub --db "$db" --format jsonl reports >"$tmp/all"
expect_eq "every file once" "$(wc -l <"$tmp/all")" "$files"
expect_eq "no duplicate content" "$(jq -r .hash "$tmp/all" | sort -u | wc -l)" \
    "$files"
done_ok
