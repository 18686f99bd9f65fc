#!/bin/sh
# Renders an smpcall HTML report (its index.html, or any page of it) in headless Chromium:
# prints the rendered DOM's size and writes a screenshot. HtmlReportTest does the same when
# Debian's chromium is installed (apt-get install chromium).
#   scripts/render-report.sh DIR/index.html shot.png [WIDTHxHEIGHT]
set -eu
page=$1 png=$2 size=${3:-1400x1000}
[ -x /usr/bin/chromium ] || { echo "render-report: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 2; }
[ -f "$page" ] || { echo "render-report: $page: no such file" >&2; exit 2; }
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
opts="--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=$profile"
bytes=$(/usr/bin/chromium $opts --dump-dom "$url" 2>/dev/null | wc -c)
echo "render-report: $page rendered, DOM $bytes bytes"
/usr/bin/chromium $opts --window-size="$(echo "$size" | tr x ,)" --screenshot="$png" "$url" 2>/dev/null
echo "render-report: screenshot $png"
