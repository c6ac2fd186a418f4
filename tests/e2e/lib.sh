# lib.sh - what the end-to-end tests share: the environment they need,
# a temporary directory removed on exit, comparisons that print a diff
# and fail, and IODEF validation against the schema.  Sourced by each tests/e2e/*.sh.
set -euo pipefail

: "${KANSATSU:?set KANSATSU to the kansatsu binary}"
: "${KS_TESTDATA:?set KS_TESTDATA to tests/data}"
command -v jq >/dev/null || { echo "e2e: jq not found" >&2; exit 1; }

e2e_name=$(basename "$0" .sh)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checks=0

fail() {
	printf '%s: FAIL: %s\n' "$e2e_name" "$*" >&2
	exit 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
	checks=$((checks + 1))
	if [ "$2" != "$3" ]; then
		printf '%s: FAIL: %s\n--- want\n%s\n--- got\n%s\n' \
		    "$e2e_name" "$1" "$3" "$2" >&2
		diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") >&2 || true
		exit 1
	fi
}

# expect_rc WHAT WANT CMD...: runs CMD, checks its exit status
expect_rc() {
	local what=$1 want=$2 rc=0
	shift 2
	"$@" || rc=$?
	expect_eq "$what: exit status" "$rc" "$want"
}

# expect_rc_err WHAT WANT CMD...: expect_rc with CMD's stderr in $tmp/err
# (a failure is still reported on the test's own stderr)
expect_rc_err() {
	local what=$1 want=$2 rc=0
	shift 2
	"$@" 2>"$tmp/err" || rc=$?
	expect_eq "$what: exit status" "$rc" "$want"
}

# expect_grep WHAT PATTERN FILE: a fixed string must occur in FILE
expect_grep() {
	checks=$((checks + 1))
	grep -qF -- "$2" "$3" || {
		printf '%s: FAIL: %s: %s not in\n' "$e2e_name" "$1" "$2" >&2
		cat "$3" >&2
		exit 1
	}
}

# valid_iodef WHAT FILE: FILE is valid IODEF v2 by RFC 7970's schema,
# read offline through the catalogue in tests/data/schemas/iodef
valid_iodef() {
	local schemas=$KS_TESTDATA/schemas/iodef
	checks=$((checks + 1))
	command -v xmllint >/dev/null || fail "xmllint not found (libxml2-utils)"
	XML_CATALOG_FILES=$schemas/catalog.xml xmllint --nonet --noout \
	    --schema "$schemas/iodef-2.0.xsd" "$2" 2>"$tmp/xmllint" ||
	    { cat "$tmp/xmllint" >&2; fail "$1: IODEF not valid"; }
}

done_ok() {
	echo "$e2e_name: ok ($checks checks)"
}
