#!/usr/bin/env bash
# integrity.sh - `kansatsu baseline` and `kansatsu verify` on a temporary
# tree: nothing is reported on the untouched tree; changed content, mode,
# owner, a symlink target, an added and a removed file and a capability are
# reported exactly, with rpm -Va's letters; --update re-reads only what
# changed (counted); an unsigned, tampered or wrongly keyed baseline is
# refused.  Owner and capability need root: as another user those parts
# are skipped with a message.
. "$(dirname "$0")/lib.sh"

root=$tmp/root
old='2020-01-02 03:04:05'
mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/etc" "$root/var/log"
for f in prog modeme ownme capme gone same; do
	printf '#!/bin/sh\necho %s\n' "$f" >"$root/usr/bin/$f"
	chmod 0755 "$root/usr/bin/$f"
done
printf 'ELF library\n' >"$root/usr/lib/libx.so.1"
ln -s libx.so.1 "$root/usr/lib/libx.so"
printf 'key = value\n' >"$root/etc/app.conf"
printf 'quiet\n' >"$root/etc/untouched.conf"
find "$root" -exec touch -h -d "$old" {} +

is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1
[ "$is_root" -eq 1 ] || echo "integrity: not root: owner and capability changes are not tested"

# ---- keys and the baseline ---------------------------------------------
expect_rc "keygen" 0 "$KANSATSU" baseline --keygen "$tmp/key" >"$tmp/out"
expect_eq "secret key mode" "$(stat -c %a "$tmp/key")" "600"
expect_eq "key files" "$(head -1 "$tmp/key"; head -1 "$tmp/key.pub")" \
	"kansatsu-ed25519-secret-key
kansatsu-ed25519-public-key"
expect_rc_err "keygen never overwrites" 2 "$KANSATSU" baseline --keygen "$tmp/key" \
	2>"$tmp/err"
expect_grep "keygen refusal" "File exists" "$tmp/err"

db=$tmp/base.db
expect_rc "baseline" 0 "$KANSATSU" baseline --db "$db" --root "$root" \
	--sign-key "$tmp/key" --jobs 2 >"$tmp/out"
expect_grep "baseline summary" "baseline $db: 14 files (9 regular, 4 directories, 1 links, 0 other), 9 read" "$tmp/out"
expect_grep "baseline signed" ", signed" "$tmp/out"
expect_eq "signature file" "$(head -1 "$db.sig")" "kansatsu-ed25519-signature"

# ---- the untouched tree --------------------------------------------------
verify() {
	"$KANSATSU" verify --db "$db" --root "$root" --pubkey "$tmp/key.pub" \
		--format jsonl --fail-on info "$@"
}
expect_rc_err "verify untouched" 0 verify >"$tmp/out"
expect_eq "no finding on the untouched tree" "$(cat "$tmp/out")" ""
expect_grep "verify summary" "0 added, 0 removed, 0 changed, 0 notices" "$tmp/err"
expect_grep "verify signature" "signature good" "$tmp/err"

# ---- the changes ---------------------------------------------------------
printf 'echo trojan\n' >>"$root/usr/bin/prog"
chmod 0700 "$root/usr/bin/modeme"
rm "$root/usr/bin/gone"
printf 'new\n' >"$root/usr/bin/added"
ln -sfn /tmp/evil.so "$root/usr/lib/libx.so"
printf 'key = other\n' >"$root/etc/app.conf"
high_root=''
owner_root=''
if [ "$is_root" -eq 1 ]; then
	chown 1234:4321 "$root/usr/bin/ownme"
	# security.capability v2, effective, cap_net_raw permitted (setcap's
	# cap_net_raw=ep), written directly so that libcap2-bin is not needed
	python3 -c 'import os, sys; os.setxattr(sys.argv[1], "security.capability",
	    bytes.fromhex("0100000200200000000000000000000000000000"))' \
		"$root/usr/bin/capme"
	high_root='file-privilege-gained /usr/bin/capme ........P caps
'
	owner_root='file-changed-system /usr/bin/ownme .....UG.. uid,gid
'
fi
# most severe first, then by path
want="${high_root}file-changed-system /usr/bin/modeme .M....... mode
${owner_root}file-changed-system /usr/bin/prog S.5....T. size,mtime,sha256
file-changed-system /usr/lib/libx.so ....L.... target
file-changed /etc/app.conf ..5....T. mtime,sha256
file-added-system /usr/bin/added - added
file-removed-system /usr/bin/gone missing removed"
expect_rc_err "verify changed (high findings)" 1 verify >"$tmp/out"
got=$(jq -r '[.rule, .file.path, (.verify.flags // "-"), .verify.changes] | join(" ")' \
	"$tmp/out")
expect_eq "exactly the changes" "$got" "$want"
expect_eq "findings have the contract's fields" \
	"$(jq -c 'select(.file.path == "/usr/bin/prog") | [.severity, .classification.taxonomy, .host.name != "", .count, (.evidence | length), (.first_seen | test("^[0-9]{4}-.*[+-][0-9]{2}:[0-9]{2}$"))]' "$tmp/out")" \
	'["high","information-content-security",true,1,1,true]'
expect_grep "evidence in words" "size 20 -> 32; mtime 2020-01-02T03:04:05+00:00 ->" "$tmp/out"
expect_grep "symlink target in words" "target libx.so.1 -> /tmp/evil.so" "$tmp/out"
if [ "$is_root" -eq 1 ]; then
	expect_grep "capability in words" "caps none -> cap_net_raw=ep" "$tmp/out"
	expect_grep "owner in words" "uid 0 -> 1234; gid 0 -> 4321" "$tmp/out"
fi
expect_rc "text output" 1 "$KANSATSU" verify --db "$db" --root "$root" \
	--pubkey "$tmp/key.pub" -q >"$tmp/text"
expect_grep "text: rpm letters" "| /usr/bin/prog: S.5....T.  size 20 -> 32" "$tmp/text"
expect_rc "--fail-on critical" 0 verify --fail-on critical -q >/dev/null

# ---- --update: only what changed is read again -------------------------
# (content, mode, owner and capability all change ctime; the new file is
# read for the first time; the symlink and the removed file need no read)
reread=4
[ "$is_root" -eq 1 ] && reread=6
expect_rc "update" 0 "$KANSATSU" baseline --db "$db" --root "$root" --update \
	--sign-key "$tmp/key" >"$tmp/out"
expect_grep "update count" "update: re-hashed $reread files, kept the digests of $((9 - reread)) unchanged ones" "$tmp/out"
expect_rc_err "verify after update" 0 verify >"$tmp/out"
expect_eq "no finding after update" "$(cat "$tmp/out")" ""
expect_rc "update again: nothing re-read" 0 "$KANSATSU" baseline --db "$db" \
	--root "$root" --update --sign-key "$tmp/key" --nice --jobs 1 >"$tmp/out"
expect_grep "second update count" "update: re-hashed 0 files, kept the digests of 9 unchanged ones" "$tmp/out"

# ---- refusals ------------------------------------------------------------
expect_rc_err "no --pubkey" 2 "$KANSATSU" verify --db "$db" --root "$root"
expect_grep "no --pubkey message" "no public key was given to check it" "$tmp/err"
"$KANSATSU" baseline --keygen "$tmp/other" >/dev/null
expect_rc_err "another key" 2 "$KANSATSU" verify --db "$db" --root "$root" \
	--pubkey "$tmp/other.pub"
expect_grep "another key message" "not with the key given" "$tmp/err"

cp "$db" "$tmp/tampered.db"
cp "$db.sig" "$tmp/tampered.db.sig"
printf 'X' | dd of="$tmp/tampered.db" bs=1 seek=200 conv=notrunc 2>/dev/null
expect_rc_err "tampered" 2 "$KANSATSU" verify --db "$tmp/tampered.db" --root "$root" \
	--pubkey "$tmp/key.pub"
expect_grep "tampered message" "does not match its signature: it was altered" "$tmp/err"
expect_rc_err "tampered, --update" 2 "$KANSATSU" baseline --db "$tmp/tampered.db" \
	--root "$root" --update --sign-key "$tmp/key"
expect_grep "tampered --update message" "it was altered" "$tmp/err"
expect_rc_err "tampered, --insecure" 0 "$KANSATSU" verify --db "$tmp/tampered.db" \
	--root "$root" --pubkey "$tmp/key.pub" --insecure -q >/dev/null
expect_grep "--insecure warns" "used because of --insecure" "$tmp/err"

expect_rc "unsigned baseline" 0 "$KANSATSU" baseline --db "$tmp/plain.db" \
	--root "$root" >"$tmp/out"
expect_grep "unsigned summary" "NOT signed" "$tmp/out"
expect_rc_err "unsigned refused" 2 "$KANSATSU" verify --db "$tmp/plain.db" \
	--root "$root" --pubkey "$tmp/key.pub"
expect_grep "unsigned message" "is not signed (no $tmp/plain.db.sig)" "$tmp/err"
expect_rc_err "unsigned --update refused" 2 "$KANSATSU" baseline --db "$tmp/plain.db" \
	--root "$root" --update
expect_rc_err "unsigned, --insecure" 0 "$KANSATSU" verify --db "$tmp/plain.db" \
	--root "$root" --insecure -q >/dev/null
expect_rc_err "a baseline that is no baseline" 2 "$KANSATSU" verify \
	--db "$tmp/key.pub" --insecure

# re-signing an unsigned baseline's update removes no good signature, and
# a baseline made without a key leaves no stale signature behind
cp "$db.sig" "$tmp/plain.db.sig"
expect_rc "unsigned remake" 0 "$KANSATSU" baseline --db "$tmp/plain.db" \
	--root "$root" -q
checks=$((checks + 1))
[ ! -e "$tmp/plain.db.sig" ] || fail "a stale signature was left next to an unsigned baseline"

# ---- configuration ---------------------------------------------------------
cat >"$tmp/logs.conf" <<'EOF'
group logs = type mode uid gid growing
/var/log logs
EOF
printf 'line 1\nline 2\n' >"$root/var/log/messages"
expect_rc "growing baseline" 0 "$KANSATSU" baseline --db "$tmp/logs.db" \
	--root "$root" --config "$tmp/logs.conf" -q
printf 'line 3\n' >>"$root/var/log/messages"
expect_rc "a log that grew" 0 "$KANSATSU" verify --db "$tmp/logs.db" \
	--root "$root" --insecure --fail-on info -q --format jsonl >"$tmp/out" 2>/dev/null
expect_eq "growing is no change" "$(cat "$tmp/out")" ""
printf 'line X\nline 2\nline 3\n' >"$root/var/log/messages"
"$KANSATSU" verify --db "$tmp/logs.db" --root "$root" --insecure -q \
	--format jsonl >"$tmp/out" 2>/dev/null || true
expect_eq "an edited log" "$(jq -r '.verify.flags + " " + .verify.changes' "$tmp/out")" \
	"..5...... sha256"
printf 'l\n' >"$root/var/log/messages"
"$KANSATSU" verify --db "$tmp/logs.db" --root "$root" --insecure -q \
	--format jsonl >"$tmp/out" 2>/dev/null || true
expect_eq "a log that shrank" "$(jq -r '.verify.flags + " " + .verify.changes' "$tmp/out")" \
	"S.?...... size"

# nested --path arguments are walked once; /proc is never entered
expect_rc "one --path" 0 "$KANSATSU" baseline --db "$tmp/p1.db" --root "$root" \
	--path /usr >"$tmp/out1"
expect_rc "nested --path" 0 "$KANSATSU" baseline --db "$tmp/p2.db" --root "$root" \
	--path /usr/bin/ --path /usr --path /usr >"$tmp/out2"
expect_eq "nested paths counted once" "$(sed 's/p[12].db//' "$tmp/out2")" \
	"$(sed 's/p[12].db//' "$tmp/out1")"
expect_rc "/proc" 0 "$KANSATSU" baseline --db "$tmp/proc.db" --path /proc \
	--cross-mounts >"$tmp/out"
expect_grep "/proc not entered" "1 files (0 regular, 1 directories, 0 links, 0 other), 0 read (0.0 MB), 0 left out, 1 mount points not entered" "$tmp/out"

printf 'group g = nonsense\n' >"$tmp/bad.conf"
expect_rc_err "bad config" 2 "$KANSATSU" baseline --db "$tmp/x.db" --root "$root" \
	--config "$tmp/bad.conf"
expect_grep "bad config message" "bad.conf: line 1: unknown attribute or group 'nonsense'" "$tmp/err"
expect_rc_err "relative --path" 2 "$KANSATSU" baseline --db "$tmp/x.db" \
	--path usr
expect_rc_err "verify needs --db or --packages" 2 "$KANSATSU" verify

done_ok
