#!/usr/bin/env bash
# setup.sh - install what kansatsu needs, build it, and run or test it.
#
#   ./setup.sh run    install the build dependencies (only what is missing),
#                     build into build/, and run `kansatsu scan` on this host;
#                     the exit status is kansatsu's (1 means findings)
#   ./setup.sh test   install the test dependencies as well, then build and
#                     test three ways: build/ (plain), build-san/ (ASan and
#                     UBSan), build-fuzz/ (clang, libFuzzer: each fuzz target
#                     runs for a while on a copy of its seed corpus); ends
#                     with one line "tests: N passed, N failed"
#
# Works on a bare Debian 12 (as root, or through sudo when not root): apt-get
# is called only when a package is missing, so a second run is quick.
# Environment: FUZZ_SECONDS (default 15) is how long each fuzz target runs
# (27 targets: the whole test run stays well under half an hour on 2 cores).

set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)

RUN_PKGS=(gcc libc6-dev pkg-config meson ninja-build
	zlib1g-dev liblzma-dev libzstd-dev libsystemd-dev libyaml-dev libpcre2-dev
	libvectorscan-dev libjansson-dev libxml2-dev libssl-dev gettext
	libsodium-dev libarchive-dev
	libloc-dev libloc-database mawk)
TEST_PKGS=(clang libclang-rt-14-dev libcmocka-dev jq systemd-journal-remote
	gzip xz-utils zstd util-linux time
	libxml2-utils chromium fonts-ipafont-gothic
	aide chkrootkit rkhunter)
# kansatsu hub: its databases, readers and the PostgreSQL its tests start
RUN_PKGS+=(libsqlite3-dev libpq-dev libxml2-dev libjansson-dev libssl-dev
	libyajl-dev)
TEST_PKGS+=(postgresql postgresql-client sqlite3)

JOBS=$(nproc 2>/dev/null || echo 1)
FUZZ_SECONDS=${FUZZ_SECONDS:-15}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 2; }

usage() {
	cat >&2 <<'EOF'
usage: ./setup.sh run     install dependencies, build, run `kansatsu scan`
       ./setup.sh test    install dependencies, build, run every test suite
EOF
	exit 2
}

# ---- dependencies -----------------------------------------------------------

# Prints the packages of "$@" that are not installed.
missing_pkgs() {
	local p status
	for p in "$@"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
		case $status in
		ii*) ;;
		*) printf '%s\n' "$p" ;;
		esac
	done
}

install_pkgs() {
	local missing
	mapfile -t missing < <(missing_pkgs "$@")
	if [ "${#missing[@]}" -eq 0 ]; then
		say "dependencies: all present"
		return 0
	fi
	say "dependencies: installing ${missing[*]}"
	local -a as_root=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 ||
			die "not root and no sudo: install as root: apt-get install ${missing[*]}"
		as_root=(sudo)
	fi
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
		die "apt-get update failed"
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" </dev/null ||
		die "apt-get install failed"
}

# ---- building ---------------------------------------------------------------

# meson_setup DIR [OPTIONS...]: configures DIR, reconfiguring (or wiping,
# when reconfiguring fails) a build directory that is already there.
meson_setup() {
	local dir=$1
	shift
	if [ -f "$dir/meson-private/coredata.dat" ]; then
		meson setup --reconfigure "$dir" "$@" ||
			meson setup --wipe "$dir" "$@"
	else
		rm -rf "$dir"
		meson setup "$dir" "$@"
	fi
}

build() {
	local dir=$1
	shift
	say "building $dir"
	meson_setup "$dir" "$@" && meson compile -C "$dir" -j "$JOBS"
}

# build_shipped DIR [OPTIONS...]: the build that ships, optimised across
# files (-Db_lto=true) and by profile (-Db_pgo).  The per-line functions
# of the stages (a field's value, a map probe, a gate) live in different
# files, and inlining them saves about 7% of `kansatsu logs`.  A first,
# instrumented build then reads a generated log (bench/gen-syslog.awk,
# 300,000 lines under another seed than the benchmark's) and the test
# data, and the build made again with that profile lays out the branches
# that lines really take: about 8% more.  What the training did not run
# (host triage, the hub) is compiled as without a profile (meson.build).
# The sanitizer and fuzz builds have neither.
build_shipped() {
	local dir=$1 rc input
	shift
	say "building $dir (instrumented, to take its profile)"
	meson_setup "$dir" -Db_lto=true -Db_pgo=generate "$@" &&
		meson compile -C "$dir" -j "$JOBS" kansatsu:executable ||
		return 1
	find "$dir" -name '*.gcda' -delete
	mawk -v lines=300000 -v seed=7 -f bench/gen-syslog.awk \
		>"$dir/train.log" || return 1
	for input in "$dir/train.log" tests/data; do
		# 1 is "findings": the training logs hold attacks
		rc=0
		"$dir/kansatsu" logs -q --no-progress --tz +09:00 \
			--format jsonl "$input" >/dev/null 2>&1 </dev/null || rc=$?
		if [ "$rc" -gt 1 ]; then
			echo "setup.sh: the profile run on $input exited $rc" >&2
			return 1
		fi
	done
	rm -f "$dir/train.log"
	say "building $dir (with its profile)"
	meson configure "$dir" -Db_pgo=use && meson compile -C "$dir" -j "$JOBS"
}

# ---- run --------------------------------------------------------------------

cmd_run() {
	install_pkgs "${RUN_PKGS[@]}"
	# cmocka is a test dependency: leave the tests out of this build.
	build_shipped build -Dtests=false || die "build failed"
	say "running build/kansatsu scan"
	local rc=0
	build/kansatsu scan || rc=$?
	exit "$rc"
}

# ---- test -------------------------------------------------------------------

PASSED=0
FAILED=0
SKIPPED=0
FAILURES=()

fail() {
	FAILED=$((FAILED + 1))
	FAILURES+=("$1")
}

# Adds up the results of a `meson test` run from its testlog.json.
count_meson_results() {
	local dir=$1 log=$1/meson-logs/testlog.json ok bad skip
	if [ ! -s "$log" ]; then
		fail "$dir: meson test left no results"
		return
	fi
	ok=$(jq -s '[.[] | select(.result == "OK" or .result == "EXPECTEDFAIL")] | length' "$log")
	skip=$(jq -s '[.[] | select(.result == "SKIP")] | length' "$log")
	bad=$(jq -s '[.[] | select(.result != "OK" and .result != "EXPECTEDFAIL" and .result != "SKIP")] | length' "$log")
	PASSED=$((PASSED + ok))
	SKIPPED=$((SKIPPED + skip))
	FAILED=$((FAILED + bad))
	if [ "$bad" -gt 0 ]; then
		local name
		while IFS= read -r name; do
			FAILURES+=("$dir: $name")
		done < <(jq -r 'select(.result != "OK" and .result != "EXPECTEDFAIL" and .result != "SKIP") | "\(.name) (\(.result))"' "$log")
	fi
}

# meson_tests DIR [meson test options...]
meson_tests() {
	local dir=$1
	shift
	rm -f "$dir/meson-logs/testlog.json"
	say "testing $dir"
	meson test -C "$dir" --print-errorlogs --num-processes "$JOBS" "$@" || true
	count_meson_results "$dir"
}

run_fuzzers() {
	local dir=build-fuzz fuzzer name corpus work rc found=0
	for fuzzer in "$dir"/tests/fuzz_*; do
		[ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue
		found=1
		name=${fuzzer##*/fuzz_}
		work=$dir/fuzz-work/$name
		rm -rf "$work"
		mkdir -p "$work/corpus" "$work/artifacts"
		# Fuzz a copy, so that the committed seed corpus stays as it is.
		for corpus in tests/fuzz/corpus/"$name" tests/fuzz/corpus/fuzz_"$name"; do
			if [ -d "$corpus" ]; then
				cp -R "$corpus"/. "$work/corpus/"
				break
			fi
		done
		say "fuzzing $name for ${FUZZ_SECONDS}s"
		rc=0
		"$fuzzer" -max_total_time="$FUZZ_SECONDS" -timeout=20 \
			-print_final_stats=1 -artifact_prefix="$work/artifacts/" \
			"$work/corpus" >"$work/log" 2>&1 </dev/null || rc=$?
		if [ "$rc" -eq 0 ]; then
			PASSED=$((PASSED + 1))
			tail -n 12 "$work/log" | grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' >&2 || true
		else
			tail -n 60 "$work/log" >&2
			fail "fuzz_$name: exit $rc, input kept in $work/artifacts/"
		fi
	done
	[ "$found" -eq 1 ] || fail "build-fuzz: no fuzz targets were built"
}

cmd_test() {
	install_pkgs "${RUN_PKGS[@]}" "${TEST_PKGS[@]}"

	export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

	# 1. the build as it ships, every suite (unit, e2e, bench)
	if build_shipped build -Dtests=true; then
		meson_tests build
	else
		fail "build: build failed"
	fi

	# 2. the same under AddressSanitizer and UndefinedBehaviorSanitizer
	if build build-san -Dtests=true -Db_sanitize=address,undefined \
		-Db_lundef=false; then
		meson_tests build-san --timeout-multiplier 3
	else
		fail "build-san: build failed"
	fi

	# 3. the fuzz targets, with the library instrumented for coverage too
	if CC=clang build build-fuzz -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false; then
		run_fuzzers
	else
		fail "build-fuzz: build failed"
	fi

	if [ "${#FAILURES[@]}" -gt 0 ]; then
		printf 'failed:\n' >&2
		printf '  %s\n' "${FAILURES[@]}" >&2
	fi
	[ "$SKIPPED" -eq 0 ] || printf 'skipped: %d\n' "$SKIPPED"
	printf 'tests: %d passed, %d failed\n' "$PASSED" "$FAILED"
	if [ "$FAILED" -ne 0 ] || [ "$PASSED" -eq 0 ]; then
		exit 1
	fi
	exit 0
}

[ $# -eq 1 ] || usage
case $1 in
run) cmd_run ;;
test) cmd_test ;;
-h | --help | help) usage ;;
*) usage ;;
esac
