#!/usr/bin/env bash
# rules.sh - `kansatsu rules`: every bundled rule carries samples that
# must fire and samples that must not, and they all pass; a rule without
# samples, or whose samples no longer hold, fails; `rules test RULE SAMPLE`
# explains a line as wazuh-logtest does.
. "$(dirname "$0")/lib.sh"

expect_rc "bundled samples" 0 "$KANSATSU" rules test >"$tmp/out"
n=$(find "$KS_TESTDATA/../../rules" -name '*.yml' | wc -l)
expect_grep "every bundled rule tested" "$n passed, 0 failed" "$tmp/out"

"$KANSATSU" rules list >"$tmp/list"
expect_eq "rules listed" "$(wc -l <"$tmp/list")" "$n"
expect_grep "list shows the sendmail rule" "sendmail-file-exploit " "$tmp/list"

# a rule without samples fails
cat >"$tmp/nosample.yml" <<'YML'
title: No samples
id: no-samples
level: low
detection:
  s:
    event.action: logon
  condition: s
YML
expect_rc "rule without samples" 1 "$KANSATSU" rules test \
    "$tmp/nosample.yml" >"$tmp/out"
expect_grep "no samples said" "no-samples: no samples that must match" "$tmp/out"

# a sample that no longer holds fails, and says which
cat >"$tmp/wrong.yml" <<'YML'
title: Wrong
id: wrong-sample
level: low
kansatsu:
  samples:
    match:
      - 'Jan 20 13:46:46 school sshd[564]: Accepted password for mity from 192.168.0.27 port 62571'
    nomatch:
      - 'Jan 20 13:46:47 school sshd[565]: Accepted password for root from 192.168.0.27 port 62572'
detection:
  s:
    event.action: logon
  condition: s
YML
expect_rc "wrong sample" 1 "$KANSATSU" rules test "$tmp/wrong.yml" >"$tmp/out"
expect_grep "wrong sample said" "wrong-sample: fired on: Jan 20 13:46:47" "$tmp/out"
expect_grep "count" "0 passed, 1 failed" "$tmp/out"

# explain a line
printf 'Jun 23 10:00:00 asite statd[123]: statd: open of /var/statmon/sm/;\n' |
    "$KANSATSU" rules test "$KS_TESTDATA/../../rules/rpc/statd-exploit.yml" - \
    >"$tmp/out"
expect_grep "explain decoder" "decoder: rpc" "$tmp/out"
expect_grep "explain field" '"url":{"original":"/var/statmon/sm/;"}' "$tmp/out"
expect_grep "explain fired" "fired: statd-exploit (high)" "$tmp/out"

expect_rc "bad verb" 2 "$KANSATSU" rules frobnicate 2>/dev/null
done_ok
