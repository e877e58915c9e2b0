#!/usr/bin/env bash
# Benchmark `lrw similar` as people run it: the whole process, a new one for every run (binary
# and text in the page cache), beside askalono's own CLI when it is installed
# (`cargo install askalono-cli`; askalono is the matcher lrw's ranking follows).
#
# Builds the release binary, writes three SPDX texts to target/bench-data (GPL-3.0, about
# 35 KB; MIT; FSFAP, one sentence) from the spdx crate's sources, and times
#   lrw similar FILE                         (ranks the top five and scans for licenses)
#   askalono identify FILE                   (the best match only)
#   askalono identify --optimize --multiple FILE   (also locates licenses, as the scan does)
# taking turns, each run timed with bash's $EPOCHREALTIME; prints the medians. Installs nothing.
#
# Usage: benches/similar.sh [RUNS]        (RUNS: timed runs per command, default 11)
# LRW_BEFORE=/path/to/an/older/lrw adds that binary as a row, for before/after numbers.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-11}

echo "building the release binary..."
(cd "$root" && cargo build --release --quiet)
lrw="$root/target/release/lrw"
data="$root/target/bench-data"
mkdir -p "$data"

# The spdx crate's texts are Rust raw strings, r#"..."#, one file per license.
spdx_dir=$(cd "$root" && cargo metadata --format-version 1 --locked 2>/dev/null |
    python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "spdx"))')
texts="$(dirname "$spdx_dir")/src/text/licenses"
for id in GPL-3.0 MIT FSFAP; do
    sed -e '1s/^r#"//' -e '$ s/"#$//' "$texts/$id" > "$data/$id.txt"
done

run_ms() {
    local start=$EPOCHREALTIME
    "$@" > /dev/null 2>&1 || true
    echo "($EPOCHREALTIME - $start) * 1000" | bc -l
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

commands=("lrw similar:$lrw similar")
if [[ -n "${LRW_BEFORE:-}" ]]; then
    commands+=("lrw similar (LRW_BEFORE):$LRW_BEFORE similar")
fi
if command -v askalono > /dev/null; then
    commands+=("askalono identify:askalono identify" "askalono identify -o -m:askalono identify --optimize --multiple")
else
    echo "(askalono is not installed: cargo install askalono-cli to measure it beside lrw)"
fi

echo "median wall time over $runs runs, whole process, ms"
ids=(GPL-3.0 MIT FSFAP)
declare -A result
for id in "${ids[@]}"; do
    file="$data/$id.txt"
    declare -A times=()
    for c in "${commands[@]}"; do
        # shellcheck disable=SC2086 # the command with its options
        ${c#*:} "$file" > /dev/null 2>&1 || true
    done
    # The commands take turns, so a change in the machine's load falls on all of them.
    for ((i = 0; i < runs; i++)); do
        for c in "${commands[@]}"; do
            # shellcheck disable=SC2086
            times[$c]+="$(run_ms ${c#*:} "$file") "
        done
    done
    for c in "${commands[@]}"; do
        # shellcheck disable=SC2086 # one time per word
        result[$c:$id]=$(printf '%s\n' ${times[$c]} | median)
    done
    unset times
done
printf '%-28s' "command"
for id in "${ids[@]}"; do printf '%16s' "$id ($(( $(wc -c < "$data/$id.txt") / 1024 )) KB)"; done
echo
for c in "${commands[@]}"; do
    printf '%-28s' "${c%%:*}"
    for id in "${ids[@]}"; do printf '%16s' "${result[$c:$id]}"; done
    echo
done
