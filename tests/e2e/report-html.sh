#!/usr/bin/env bash
# report-html.sh - the HTML report in a real browser: Debian's chromium,
# headless, opens it without a console error, draws it (a screenshot is
# taken), and its DOM holds the SVG timeline and no element a log line
# tried to inject.
. "$(dirname "$0")/lib.sh"

: "${KANSATSU_LOCALEDIR:?set KANSATSU_LOCALEDIR to the po directory of the build}"
chromium=/usr/bin/chromium
[ -x "$chromium" ] || fail "chromium not found (Debian package chromium)"

cd "$KS_TESTDATA"
{
	cat report/seed000-findings.jsonl
	printf 'Jun 23 10:00:00 asite statd[123]: statd: open of /var/statmon/sm/;<script>document.title="owned"</script><img src=x onerror=alert(1)>\033[2J\n' |
	    "$KANSATSU" logs -q --format jsonl --tz Asia/Tokyo --year 1999 - || true
} >"$tmp/findings.jsonl"
expect_eq "findings" "$(wc -l <"$tmp/findings.jsonl")" 11
"$KANSATSU" report -q --profile ash-profile.yml --format html \
    --out "$tmp/report.html" "$tmp/findings.jsonl"

browse() {
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$tmp")" \
	    --enable-logging=stderr --v=0 "$@" "file://$tmp/report.html"
}

browse --dump-dom >"$tmp/dom.html" 2>"$tmp/console.log" ||
	fail "chromium failed: $(tail -n 5 "$tmp/console.log")"
checks=$((checks + 1))
if grep -a "CONSOLE" "$tmp/console.log" >&2; then
	fail "console messages while loading the report"
fi
expect_grep "timeline in the DOM" '<svg id="timeline"' "$tmp/dom.html"
expect_eq "timeline rows" "$(grep -o '<rect class="sev-' "$tmp/dom.html" | wc -l)" 3
expect_grep "title unchanged" "<title>インシデント報告書 - ash</title>" "$tmp/dom.html"
expect_eq "no injected element" "$(grep -ci '<script\|<img' "$tmp/dom.html")" 0

browse --screenshot="$tmp/report.png" --window-size=1000,3000 \
    >/dev/null 2>"$tmp/shot.log" || fail "chromium screenshot failed"
expect_eq "screenshot is a PNG" "$(head -c 8 "$tmp/report.png" | od -An -tx1 | tr -d ' ')" \
    "89504e470d0a1a0a"
checks=$((checks + 1))
[ "$(stat -c %s "$tmp/report.png")" -gt 20000 ] || fail "screenshot is blank"

done_ok
