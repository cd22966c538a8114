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

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
warm_up train --model cnn --root . --no-download --epochs 1 --quiet   # writes the class-data archive before the timed runs (not timed)

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d); $epochs epoch(s), seed 1"
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  measure pytorch $py "$shared/reference/mnist_cnn.py" "$work/prepared" "$epochs" 1
  measure antorcha "$here/antorcha" train --model cnn --epochs "$epochs" --seed 1 --root "$work/prepared" --no-download
done

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
