#!/usr/bin/env bash
# packages.sh - `kansatsu verify --packages` and `--packages-from` on a
# copy of a dpkg database under a temporary root, merged-/usr like Debian
# 12 (/bin -> usr/bin).  A binary doctored together with its md5sums line
# passes --packages (as it passes dpkg --verify), and --packages-from with
# the real .deb (fetched with apt-get download) catches both the binary
# and the doctored line.  Without network the .deb part is skipped with a
# message.  A made-up package covers conffiles, a missing file and a
# diversion.
. "$(dirname "$0")/lib.sh"

pkg=hostname
root=$tmp/root
if ! ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || [ -z "$ver" ]; then
	echo "packages: $pkg is not installed here: test skipped"
	exit 77
fi

# ---- the copy: the package's files, its status stanza, its md5sums -------
mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/etc" "$root/var/lib/dpkg/info"
ln -s usr/bin "$root/bin"
while IFS= read -r f; do
	[ -d "$f" ] && continue
	mkdir -p "$root$(dirname "$f")"
	cp -P "$f" "$root$f"
done < <(dpkg-query -L "$pkg")
awk -v RS= -v ORS='\n\n' -v p="$pkg" '$0 ~ "(^|\n)Package: " p "\n"' \
	/var/lib/dpkg/status >"$root/var/lib/dpkg/status"
cp "/var/lib/dpkg/info/$pkg.md5sums" "$root/var/lib/dpkg/info/"

# a made-up package: a conffile that was edited, a file that is missing, a
# library diverted by another package, and a line that is no md5sums line
md5() { md5sum "$1" | cut -d' ' -f1; }
printf 'shipped\n' >"$tmp/conf.orig"
printf 'edited\n' >"$root/etc/kstest.conf"
printf 'library\n' >"$root/usr/lib/kstest.so.distrib"
printf 'replacement\n' >"$root/usr/lib/kstest.so"
cat >>"$root/var/lib/dpkg/status" <<EOF
Package: kstest
Status: install ok installed
Architecture: all
Version: 1.0
Conffiles:
 /etc/kstest.conf $(md5 "$tmp/conf.orig")
Description: a package made up by the test

Package: kstest-meta
Status: install ok installed
Architecture: all
Version: 1.0
Description: a package with no files, so no md5sums file

EOF
printf '%s  usr/lib/kstest.so\n%s  usr/bin/kstest-missing\nnot an md5sums line\n' \
	"$(md5 "$root/usr/lib/kstest.so.distrib")" "$(md5 "$tmp/conf.orig")" \
	>"$root/var/lib/dpkg/info/kstest.md5sums"
printf '/usr/lib/kstest.so\n/usr/lib/kstest.so.distrib\nother-package\n' \
	>"$root/var/lib/dpkg/diversions"

pverify() {
	"$KANSATSU" verify --packages --root "$root" --format jsonl \
		--fail-on info --no-progress "$@"
}
summary() { jq -r '[.rule, .file.path, .package.name, .verify.flags] | join(" ")' "$1"; }

expect_rc_err "verify --packages" 1 pverify >"$tmp/out"
expect_eq "kstest's findings" "$(summary "$tmp/out")" \
	"package-conffile-changed /etc/kstest.conf kstest ??5??????
package-file-missing /usr/bin/kstest-missing kstest missing"
expect_grep "conffile evidence" "??5?????? c /etc/kstest.conf: md5 " "$tmp/out"
expect_grep "summary" "checked 3 packages" "$tmp/err"
expect_grep "no md5sums counted" "1 packages without an md5sums file" "$tmp/err"
expect_grep "the bad line is counted" "1 lines of dpkg's files not understood" "$tmp/err"
expect_rc_err "only $pkg" 0 pverify "$pkg" >"$tmp/out"
expect_eq "$pkg untouched" "$(cat "$tmp/out")" ""
expect_rc_err "not installed" 0 pverify no-such-package >"$tmp/out"
expect_grep "not installed message" "no-such-package: not an installed package" "$tmp/err"

# ---- the .deb, while the network lets us ---------------------------------
mkdir "$tmp/debs"
have_deb=0
if (cd "$tmp/debs" && apt-get download "$pkg=$ver") >"$tmp/apt.log" 2>&1 &&
	ls "$tmp/debs"/*.deb >/dev/null 2>&1; then
	have_deb=1
else
	echo "packages: apt-get download $pkg=$ver failed (no network?):" \
		"--packages-from is not tested"
	sed 's/^/  /' "$tmp/apt.log"
fi
if [ "$have_deb" -eq 1 ]; then
	expect_rc_err "--packages-from, untouched" 0 pverify \
		--packages-from "$tmp/debs" "$pkg" >"$tmp/out"
	expect_eq "--packages-from, untouched" "$(cat "$tmp/out")" ""
	expect_grep "one .deb read" "1 .deb files read, 0 not used" "$tmp/err"
fi

# ---- the intruder: a trojaned binary and a doctored md5sums line ---------
printf '\n# trojan\n' >>"$root/bin/$pkg"
sums=$root/var/lib/dpkg/info/$pkg.md5sums
new=$(md5 "$root/bin/$pkg")
awk -v m="$new" -v f="bin/$pkg" '{ if ($2 == f) $1 = m; print }' OFS='  ' \
	"$sums" >"$tmp/sums" && cp "$tmp/sums" "$sums"
expect_eq "the line is doctored" "$(grep " bin/$pkg\$" "$sums" | cut -d' ' -f1)" "$new"

expect_rc_err "--packages misses it" 0 pverify "$pkg" >"$tmp/out"
expect_eq "--packages misses it, as dpkg would" "$(cat "$tmp/out")" ""

if [ "$have_deb" -eq 1 ]; then
	expect_rc_err "--packages-from catches it" 1 pverify \
		--packages-from "$tmp/debs" "$pkg" >"$tmp/out"
	expect_eq "--packages-from findings" "$(summary "$tmp/out")" \
		"package-sums-tampered /bin/$pkg $pkg ??5??????
package-file-changed-system /bin/$pkg $pkg ??5??????"
	expect_eq "severities" "$(jq -r .severity "$tmp/out" | tr '\n' ' ')" \
		"critical high "
	expect_grep "sha256 of the .deb" "in ${pkg}_" "$tmp/out"
	expect_eq "package version" "$(jq -r '.package.version' "$tmp/out" | sort -u)" "$ver"
	# a .deb of another version is not used
	cp "$tmp/debs"/*.deb "$tmp/debs/copy.deb"
	sed -i "s/^Version: .*/Version: 0.0-other/" "$root/var/lib/dpkg/status"
	expect_rc_err "other version" 0 pverify --packages-from "$tmp/debs" \
		"$pkg" >"$tmp/out"
	expect_grep "other version message" "but 0.0-other is installed: not used" "$tmp/err"
fi
printf 'not a deb\n' >"$tmp/debs/broken.deb"
expect_rc_err "a broken .deb" 0 pverify --packages-from "$tmp/debs" "$pkg" >"$tmp/out"
expect_grep "broken .deb notice" "broken.deb: " "$tmp/err"

done_ok
