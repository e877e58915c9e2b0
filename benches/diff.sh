#!/usr/bin/env bash
# Benchmark `lrw diff` against git's word diff.
#
# Builds the release binary, makes 100 KB, 1 MB and 10 MB pairs of texts from the corpus with
# scattered word edits (in target/bench-data, never committed), and times
#   lrw diff --format unified --exact LEFT RIGHT
#   git diff --no-index --word-diff=plain LEFT RIGHT
# on GPL-2.0-only -> GPL-3.0-only and on those pairs. Uses hyperfine when it is installed;
# otherwise lrw and git take turns, each run timed with bash's $EPOCHREALTIME, and the script
# prints the medians and the median (and range) of the per-turn ratios. Installs nothing.
#
# Usage: benches/diff.sh [RUNS]        (RUNS: timed runs per command, default 5)
# The corpus is ../shared/corpus (main checkout) or ../../shared/corpus (worktree), or set
# LRW_CORPUS.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
corpus=${LRW_CORPUS:-}
if [[ -z "$corpus" ]]; then
    for c in "$root/../shared/corpus" "$root/../../shared/corpus"; do
        [[ -d "$c" ]] && corpus=$(cd "$c" && pwd) && break
    done
fi
if [[ -z "$corpus" || ! -d "$corpus" ]]; then
    echo "benches/diff.sh: corpus not found (set LRW_CORPUS)" >&2
    exit 2
fi

echo "building the release binary..."
(cd "$root" && cargo build --release --quiet)
lrw="$root/target/release/lrw"
data="$root/target/bench-data"
mkdir -p "$data"

# All corpus texts, in name order, as the base material.
base="$data/base.txt"
cat "$corpus"/*.txt > "$base"

# make_pair SIZE NAME: NAME-a.txt of SIZE bytes (the base repeated), NAME-b.txt the same with
# every 400th word replaced, white space kept as it is (a scattered word edit roughly every
# 2.5 KB).
make_pair() {
    local size=$1 name=$2
    local a="$data/$name-a.txt" b="$data/$name-b.txt"
    : > "$a"
    while [[ $(wc -c < "$a") -lt $size ]]; do
        cat "$base" >> "$a"
    done
    head -c "$size" "$a" > "$a.tmp" && mv "$a.tmp" "$a"
    perl -pe 's/(\S+)/++$n % 400 == 0 ? "EDITED" : $1/ge' "$a" > "$b"
}
make_pair 100000 100k
make_pair 1000000 1m
make_pair 10000000 10m

pairs=(
    "GPL-2->3:$corpus/GPL-2.0-only.txt:$corpus/GPL-3.0-only.txt"
    "100 KB:$data/100k-a.txt:$data/100k-b.txt"
    "1 MB:$data/1m-a.txt:$data/1m-b.txt"
    "10 MB:$data/10m-a.txt:$data/10m-b.txt"
)

# run_ms CMD...: wall time of one run in milliseconds. $EPOCHREALTIME (bash 5) reads the
# clock without starting a process, which would add to every measurement and make small
# pairs' ratios look better than they are.
run_ms() {
    local start=$EPOCHREALTIME
    "$@" > /dev/null 2>&1 || true
    echo "($EPOCHREALTIME - $start) * 1000" | bc -l
}

# median: the middle of the numbers on standard input.
median() {
    sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if command -v hyperfine > /dev/null; then
    for p in "${pairs[@]}"; do
        IFS=: read -r label left right <<< "$p"
        echo "== $label"
        hyperfine --warmup 1 --runs "$runs" -i \
            "$lrw diff --format unified --exact '$left' '$right'" \
            "git diff --no-index --word-diff=plain '$left' '$right'"
    done
    exit 0
fi

# lrw and git take turns, so a change in the machine's load falls on both; the medians and the
# median of the per-turn ratios are reported.
printf '%-10s %12s %12s %14s\n' "pair" "lrw (ms)" "git (ms)" "ratio (range)"
for p in "${pairs[@]}"; do
    IFS=: read -r label left right <<< "$p"
    "$lrw" diff --format unified --exact "$left" "$right" > /dev/null 2>&1 || true
    git diff --no-index --word-diff=plain "$left" "$right" > /dev/null 2>&1 || true
    ls=() gs=() rs=()
    for ((i = 0; i < runs; i++)); do
        l=$(run_ms "$lrw" diff --format unified --exact "$left" "$right")
        g=$(run_ms git diff --no-index --word-diff=plain "$left" "$right")
        ls+=("$l") gs+=("$g") rs+=("$(echo "$l / $g" | bc -l)")
    done
    lm=$(printf '%s\n' "${ls[@]}" | median)
    gm=$(printf '%s\n' "${gs[@]}" | median)
    rm_=$(printf '%s\n' "${rs[@]}" | awk '{ printf "%.2f\n", $1 }' | median)
    lo=$(printf '%s\n' "${rs[@]}" | sort -g | head -1 | awk '{ printf "%.2f", $1 }')
    hi=$(printf '%s\n' "${rs[@]}" | sort -g | tail -1 | awk '{ printf "%.2f", $1 }')
    printf '%-10s %12s %12s %14s\n' "$label" "$lm" "$gm" "$(printf '%.2f' "$rm_") ($lo-$hi)"
done
