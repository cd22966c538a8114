#!/usr/bin/env bash
# Whole-process comparison of PyTorch's MNIST CNN (pytorch/examples mnist/main.py's recipe, as
# reference/mnist_cnn.py runs it) with `./antorcha train --model cnn`, run alternately on the
# same machine and data, reporting each run, the median wall time and peak RSS, the ratios and
# the test accuracies.
#
# Usage: bench/compare-cnn.sh [EPOCHS] [RUNS] [SHARED_DIR]
#   EPOCHS      epochs of each run (default 1)
#   RUNS        runs of each program (default 3)
#   SHARED_DIR  the shared folder with data/mnist and reference/ (default ../shared)
# Needs: Debian's python3-torch and python3-torchvision (/usr/bin/python3), GNU time
#        (/usr/bin/time), Java 25 (JAVA_HOME) and Maven for the first ./antorcha build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-1}"
runs="${2:-3}"
shared="$(cd "${3:-$here/../shared}" && pwd)"
py=/usr/bin/python3
work="$(mktemp -d "${TMPDIR:-/tmp}/antorcha-cnn.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Both read the same decompressed files, laid out as torchvision keeps them (not timed).
sh "$shared/reference/prepare_data.sh" "$shared/data/mnist" "$work/prepared" mnist >/dev/null
"$here/antorcha" info >/dev/null   # builds the jar if needed (not timed)

measure() {   # name, command...: appends "seconds rss_kib accuracy" to $work/name.txt
  local name="$1"; shift
  local dir="$work/run-$name-$RANDOM"; mkdir -p "$dir"
  ( cd "$dir" && /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/out.txt" 2> "$dir/err.txt" ) || {
    echo "$name failed:"; tail -5 "$dir/err.txt"; exit 1; }
  local acc; acc="$(grep 'test accuracy' "$dir/out.txt" | tail -1 | grep -oE '[0-9.]+%' | tail -1 | tr -d '%')"
  echo "$(cat "$dir/time.txt") ${acc:-?}" >> "$work/$name.txt"
  echo "  $name: $(awk '{printf "%.2f s, %.0f MiB", $1, $2/1024}' "$dir/time.txt"), test accuracy ${acc:-?}%"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d); $epochs epoch(s), seed 1"
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  measure pytorch $py "$shared/reference/mnist_cnn.py" "$work/prepared" "$epochs" 1
  measure antorcha "$here/antorcha" train --model cnn --epochs "$epochs" --seed 1 --root "$work/prepared" --no-download
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
report() {   # name -> "median_s median_mib"
  local s m; s="$(cut -d' ' -f1 "$work/$1.txt" | median)"; m="$(cut -d' ' -f2 "$work/$1.txt" | median)"
  echo "$s $(awk -v k="$m" 'BEGIN {printf "%.0f", k/1024}')"
}
read -r ps pm <<<"$(report pytorch)"
read -r as am <<<"$(report antorcha)"
echo
printf "%-40s %10s %12s\n" "program (median of $runs, $epochs epoch(s))" "wall s" "peak RSS MiB"
printf "%-40s %10.2f %12d\n" "PyTorch mnist_cnn.py" "$ps" "$pm"
printf "%-40s %10.2f %12d\n" "./antorcha train --model cnn" "$as" "$am"
echo
awk -v a="$as" -v p="$ps" -v am="$am" -v pm="$pm" 'BEGIN {
  printf "antorcha / PyTorch wall time:  %.3f  (target <= 0.333)  %s\n", a/p, (a/p <= 1/3 ? "met" : "NOT met");
  printf "antorcha / PyTorch peak RSS:   %.3f  (target <= 0.500)  %s\n", am/pm, (am/pm <= 0.5 ? "met" : "NOT met") }'
echo "test accuracies (PyTorch / antorcha): $(cut -d' ' -f3 "$work/pytorch.txt" | tr '\n' ' ')/ $(cut -d' ' -f3 "$work/antorcha.txt" | tr '\n' ' ')"
