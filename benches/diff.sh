#!/usr/bin/env bash
# Benchmark `lrw diff` against git's word diff.
#
# Builds the release binary, makes 100 KB, 1 MB and 10 MB pairs of texts from the corpus with
# scattered word edits (in target/bench-data, never committed), and times
#   lrw diff --format unified --exact LEFT RIGHT
#   git diff --no-index --word-diff=plain LEFT RIGHT
# on GPL-2.0-only -> GPL-3.0-only and on those pairs. Uses hyperfine when it is installed,
# otherwise a loop timed with `date +%s.%N`. Installs nothing.
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

# seconds CMD...: mean wall time of $runs runs (after one warm-up), printed with 3 decimals.
seconds() {
    "$@" > /dev/null 2>&1 || true
    local start end total=0
    for ((i = 0; i < runs; i++)); do
        start=$(date +%s.%N)
        "$@" > /dev/null 2>&1 || true
        end=$(date +%s.%N)
        total=$(echo "$total + $end - $start" | bc -l)
    done
    echo "scale=3; $total / $runs" | bc -l
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

printf '%-10s %12s %12s %8s\n' "pair" "lrw (s)" "git (s)" "ratio"
for p in "${pairs[@]}"; do
    IFS=: read -r label left right <<< "$p"
    l=$(seconds "$lrw" diff --format unified --exact "$left" "$right")
    g=$(seconds git diff --no-index --word-diff=plain "$left" "$right")
    ratio=$(echo "scale=2; $l / $g" | bc -l)
    printf '%-10s %12s %12s %8s\n' "$label" "$l" "$g" "$ratio"
done
