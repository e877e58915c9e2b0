#!/usr/bin/env bash
# The screenshots in docs/screenshots, made from the real lrw on a scratch copy of the bundled
# example review (reviews/example-model-license.toml and texts/example-model-license/):
#
#   workbench.txt          the workbench at 110x32, at clause 2.2(b) (`:2.2b`)
#   workbench-80x24.txt    the same at 80x24
#   workbench-comment.txt  a new thread being written on clause 2.3 (`:2.3`, `a`, text)
#   export-html.png        `lrw export --format html` in headless Chromium
#
# The text captures come from tmux (capture-pane), the PNG from Debian's chromium. Run it with
# no arguments from anywhere in the repository; it builds lrw first:
#
#   docs/screenshots/make.sh          all of them
#   docs/screenshots/make.sh --text   the text captures only
#   docs/screenshots/make.sh --png    the PNG only
#
# tests/screenshots.rs runs this script (--text) and fails when a committed capture differs
# from what it makes now. It sets LRW_BIN (the lrw to run, instead of building one),
# SCREENSHOTS_OUT (where to write, instead of docs/screenshots) and SCREENSHOTS_EXAMPLE (a
# folder holding reviews/ and texts/ of the example, instead of the repository's).
#
# The captures are deterministic: fixed terminal sizes, a fixed author, UTC, and nothing on
# these screens depends on the clock. Each capture waits (up to 30 s) until the screen shows what
# it should and has stopped changing.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${SCREENSHOTS_OUT:-$root/docs/screenshots}
example=${SCREENSHOTS_EXAMPLE:-$root}
text=1
png=1
case "${1:-}" in
  "") ;;
  --text) png=0 ;;
  --png) text=0 ;;
  *) echo "usage: $0 [--text | --png]" >&2; exit 2 ;;
esac

lrw=${LRW_BIN:-}
if [ -z "$lrw" ]; then
  echo "make.sh: cargo build --bin lrw" >&2
  cargo build --quiet --manifest-path "$root/Cargo.toml" --bin lrw
  lrw=${CARGO_TARGET_DIR:-$root/target}/debug/lrw
fi

scratch=$(mktemp -d)
socket="lrw-screenshots-$$"
cleanup() {
  tmux -L "$socket" kill-server >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT

# A fresh scratch copy of the example (each capture starts from the same files).
copy_example() {
  rm -rf "$scratch/example"
  mkdir -p "$scratch/example/reviews" "$scratch/example/texts"
  cp "$example/reviews/example-model-license.toml" "$scratch/example/reviews/"
  cp -R "$example/texts/example-model-license" "$scratch/example/texts/"
}

# The environment lrw and tmux run in: nothing from the caller's but PATH and HOME.
clean_env=(env -i "PATH=$PATH" "HOME=$scratch" LANG=C.UTF-8 TZ=UTC TERM=xterm-256color
  LRW_AUTHOR=reviewer)

tm() { "${clean_env[@]}" tmux -L "$socket" "$@"; }

# Start the workbench on the scratch example in a WIDTHxHEIGHT terminal.
start() {
  copy_example
  tm -u -f /dev/null new-session -d -x "$1" -y "$2" -c "$scratch/example" \
    "$lrw open reviews/example-model-license.toml"
}

# Wait until the screen shows $1 and is the same on three looks 0.1 s apart; fail, showing the
# screen, after 30 s.
settle() {
  local needle=$1 screen previous="" same=0 deadline=$((SECONDS + 30))
  while :; do
    screen=$(tm capture-pane -p)
    if [[ $screen == *"$needle"* && $screen == "$previous" ]]; then
      same=$((same + 1))
      [ "$same" -ge 2 ] && return 0
    else
      same=0
    fi
    previous=$screen
    if [ "$SECONDS" -ge "$deadline" ]; then
      printf 'make.sh: timed out waiting for %q; the screen:\n%s\n' "$needle" "$screen" >&2
      exit 1
    fi
    sleep 0.1
  done
}

keys() { tm send-keys -t 0 "$@"; }
type_text() { tm send-keys -t 0 -l "$1"; }

# Save the screen as $1 and end the session.
capture() {
  tm capture-pane -p >"$out/$1"
  tm kill-server
  echo "make.sh: wrote $out/$1" >&2
}

# The workbench at clause 2.2(b), in a WIDTHxHEIGHT terminal, into FILE.
at_clause_2_2b() {
  start "$1" "$2"
  settle "Clauses"
  keys :
  type_text 2.2b
  keys Enter
  settle "Threads · 2.2(b)"
  capture "$3"
}

mkdir -p "$out"
if [ "$text" = 1 ]; then
  command -v tmux >/dev/null || { echo "make.sh: tmux is needed (apt-get install tmux)" >&2; exit 1; }
  at_clause_2_2b 110 32 workbench.txt
  at_clause_2_2b 80 24 workbench-80x24.txt

  start 110 32
  settle "Clauses"
  keys :
  type_text 2.3
  keys Enter
  settle "Threads · 2.3"
  keys a
  settle "New thread on 2.3"
  comment="Does the patent licence end when a licensee sues over another model? Section 6 does not say."
  type_text "$comment"
  settle "Section 6"
  capture workbench-comment.txt
fi

if [ "$png" = 1 ]; then
  chromium=${LRW_CHROMIUM:-chromium}
  command -v "$chromium" >/dev/null ||
    { echo "make.sh: chromium is needed (apt-get install chromium)" >&2; exit 1; }
  copy_example
  (cd "$scratch/example" && "${clean_env[@]}" "$lrw" export reviews/example-model-license.toml \
    --format html -o "$scratch/export.html")
  # The flags keep a headless chromium from reaching out (and being refused) on its own.
  "${clean_env[@]}" timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$scratch/chromium" --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1000,1500 --screenshot="$out/export-html.png" "file://$scratch/export.html" \
    >"$scratch/chromium.log" 2>&1 ||
    { cat "$scratch/chromium.log" >&2; echo "make.sh: chromium failed" >&2; exit 1; }
  echo "make.sh: wrote $out/export-html.png" >&2
fi
