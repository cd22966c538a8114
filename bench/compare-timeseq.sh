#!/usr/bin/env bash
# Whole-process comparison of PyTorch's time_sequence_prediction example (as
# reference/time_sequence.py runs it: two LSTMCells in float64, LBFGS lr 0.8, 100 sine waves of
# 1000) with `./antorcha time-sequence`, run alternately on the same machine, reporting each run,
# the median wall time and peak RSS, the ratios, and the losses of every step side by side.
# The Java run draws its figure after each step into one file (the Python draws none).
#
# Usage: bench/compare-timeseq.sh [STEPS] [RUNS] [SHARED_DIR]
#   STEPS       LBFGS steps of each run (default 15, the example's)
#   RUNS        runs of each program (default 1)
#   SHARED_DIR  the shared folder with reference/ (default ../shared)
# Needs: Debian's python3-torch (/usr/bin/python3), GNU time (/usr/bin/time), Java 25
#        (JAVA_HOME) and Maven for the first ./antorcha build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-15}"
runs="${2:-1}"
shared="$(cd "${3:-$here/../shared}" && pwd)"
py=/usr/bin/python3
work="$(mktemp -d "${TMPDIR:-/tmp}/antorcha-timeseq.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$here/antorcha" info >/dev/null   # builds the jar if needed (not timed)

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
warm_up time-sequence --steps 1 --length 60 --future 10 --no-plot   # writes the class-data archive before the timed runs (not timed)
metric="step"   # the last step line; its last number is the test loss

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d); $steps LBFGS steps"
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  measure pytorch $py "$shared/reference/time_sequence.py" "$steps"
  measure antorcha "$here/antorcha" time-sequence --steps "$steps" --plot predict.png
done

read -r ps pm <<<"$(report pytorch)"
read -r as am <<<"$(report antorcha)"
echo
printf "%-40s %10s %12s\n" "program (median of $runs, $steps steps)" "wall s" "peak RSS MiB"
printf "%-40s %10.2f %12d\n" "PyTorch time_sequence.py" "$ps" "$pm"
printf "%-40s %10.2f %12d\n" "./antorcha time-sequence" "$as" "$am"
echo
awk -v a="$as" -v p="$ps" -v am="$am" -v pm="$pm" 'BEGIN {
  printf "antorcha / PyTorch wall time:  %.3f  (target <= 0.333)  %s\n", a/p, (a/p <= 1/3 ? "met" : "NOT met");
  printf "antorcha / PyTorch peak RSS:   %.3f  (target <= 0.500)  %s\n", am/pm, (am/pm <= 0.5 ? "met" : "NOT met") }'
echo
echo "losses of the first run (train / test):"
first() { find "$work" -maxdepth 1 -name "run-$1-*" | head -1; }
paste <(grep '^step' "$(first pytorch)/out.txt" | sed 's/, test loss / /; s/: train loss / /') \
      <(grep '^step' "$(first antorcha)/out.txt" | sed 's/^step [0-9]*: train loss //; s/, test loss / /') |
  awk 'BEGIN {printf "%-6s %14s %14s   %14s %14s\n", "step", "PyTorch train", "test", "antorcha train", "test"}
       {printf "%-6s %14s %14s   %14s %14s\n", $2, $3, $4, $5, $6}'
