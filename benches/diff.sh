#!/usr/bin/env bash
# Benchmark `lrw diff` against git's word diff, whole process (startup included).
#
# Builds the release binary, makes 100 KB, 1 MB and 10 MB pairs of texts from the corpus with
# scattered word edits (in target/bench-data, never committed), and times
#   lrw diff --format unified --exact LEFT RIGHT
#   lrw diff --format side --exact LEFT RIGHT      (the default on a terminal)
#   git diff --no-index --word-diff=plain LEFT RIGHT
# on GPL-2.0-only -> GPL-3.0-only and on those pairs, output to /dev/null. Uses hyperfine when
# it is installed; otherwise the commands take turns, each run timed with bash's
# $EPOCHREALTIME, and the script prints each command's median and the median (and range) of
# its per-turn ratio to git. Prints the load average before and after. Installs nothing.
#
# Usage: benches/diff.sh [RUNS]        (RUNS: timed runs per command, default 11)
# LRW_BEFORE=/path/to/an/older/lrw adds that binary's two views, for before/after numbers.
# LRW_BENCH_PAIRS="GPL-2->3 1 MB" times only the pairs named (default: all four).
# The corpus is ../shared/corpus (main checkout) or ../../shared/corpus (worktree), or set
# LRW_CORPUS.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-11}
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

# The commands, "label:command"; git last, as the reference for the ratios.
commands=(
    "lrw unified:$lrw diff --format unified --exact"
    "lrw side:$lrw diff --format side --exact"
)
if [[ -n "${LRW_BEFORE:-}" ]]; then
    commands+=(
        "before unified:$LRW_BEFORE diff --format unified --exact"
        "before side:$LRW_BEFORE diff --format side --exact"
    )
fi
commands+=("git word-diff:git diff --no-index --word-diff=plain")

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if command -v hyperfine > /dev/null; then
    for p in "${pairs[@]}"; do
        IFS=: read -r label left right <<< "$p"
        [[ -n "${LRW_BENCH_PAIRS:-}" && "$LRW_BENCH_PAIRS" != *"$label"* ]] && continue
        echo "== $label"
        args=()
        for c in "${commands[@]}"; do args+=("${c#*:} '$left' '$right'"); done
        hyperfine --warmup 1 --runs "$runs" -i "${args[@]}"
    done
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    exit 0
fi

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

# The commands take turns, so a change in the machine's load falls on all of them; each
# lrw run's ratio is to the git run of the same turn.
echo "median wall time over $runs runs, whole process, output to /dev/null"
printf '%-10s %-16s %10s %20s\n' "pair" "command" "ms" "ratio to git (range)"
git_cmd=${commands[-1]#*:}
for p in "${pairs[@]}"; do
    IFS=: read -r label left right <<< "$p"
    [[ -n "${LRW_BENCH_PAIRS:-}" && "$LRW_BENCH_PAIRS" != *"$label"* ]] && continue
    declare -A times=() ratios=()
    for c in "${commands[@]}"; do
        # shellcheck disable=SC2086 # the command with its options
        ${c#*:} "$left" "$right" > /dev/null 2>&1 || true
    done
    for ((i = 0; i < runs; i++)); do
        declare -A turn=()
        for c in "${commands[@]}"; do
            # shellcheck disable=SC2086
            turn[$c]=$(run_ms ${c#*:} "$left" "$right")
            times[$c]+="${turn[$c]} "
        done
        g=${turn[${commands[-1]}]}
        for c in "${commands[@]}"; do
            ratios[$c]+="$(echo "${turn[$c]} / $g" | bc -l) "
        done
        unset turn
    done
    first=$label
    for c in "${commands[@]}"; do
        # shellcheck disable=SC2086 # one number per word
        m=$(printf '%s\n' ${times[$c]} | median)
        if [[ "${c#*:}" == "$git_cmd" ]]; then
            ratio=""
        else
            # shellcheck disable=SC2086
            rs=$(printf '%s\n' ${ratios[$c]} | awk '{ printf "%.2f\n", $1 }')
            ratio="$(printf '%s\n' "$rs" | median) ($(printf '%s\n' "$rs" | sort -g | head -1)-$(printf '%s\n' "$rs" | sort -g | tail -1))"
        fi
        printf '%-10s %-16s %10s %20s\n' "$first" "${c%%:*}" "$m" "$ratio"
        first=""
    done
    unset times ratios
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
