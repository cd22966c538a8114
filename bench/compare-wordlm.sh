#!/usr/bin/env bash
# Whole-process comparison of PyTorch's word-level language model (pytorch/examples
# word_language_model's recipe, as reference/word_lm.py runs it) with `./antorcha word-lm`, run
# alternately on the same machine and corpus, reporting each run, the median wall time and peak
# RSS, the ratios and the test perplexities.
#
# Usage: bench/compare-wordlm.sh [EPOCHS] [RUNS] [SHARED_DIR] [FLAGS...]
#   EPOCHS      epochs of each run (default 1)
#   RUNS        runs of each program (default 3)
#   SHARED_DIR  the shared folder with data/wikitext-2-small and reference/ (default ../shared)
#   FLAGS       given to both programs: --tied, --model GRU|RNN_TANH|RNN_RELU
# Needs: Debian's python3-torch (/usr/bin/python3), GNU time (/usr/bin/time), Java 25 (JAVA_HOME)
#        and Maven for the first ./antorcha build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-1}"
runs="${2:-3}"
shared="$(cd "${3:-$here/../shared}" && pwd)"
flags=("${@:4}")
py=/usr/bin/python3
corpus="$shared/data/wikitext-2-small"
work="$(mktemp -d "${TMPDIR:-/tmp}/antorcha-wordlm.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$here/antorcha" info >/dev/null   # builds the jar if needed (not timed)

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
metric="test ppl"
# a few lines of the corpus itself, for the untimed run that writes word-lm's class-data archive
mkdir -p "$work/tiny"
for f in train valid test; do head -c 20000 "$corpus/$f.txt" > "$work/tiny/$f.txt"; done
warm_up word-lm "$work/tiny" --epochs 1 --quiet   # not timed

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d); $epochs epoch(s) ${flags[*]:-}"
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  measure pytorch $py "$shared/reference/word_lm.py" "$corpus" "$epochs" "${flags[@]}"
  measure antorcha "$here/antorcha" word-lm "$corpus" --epochs "$epochs" "${flags[@]}"
done

read -r ps pm <<<"$(report pytorch)"
read -r as am <<<"$(report antorcha)"
echo
printf "%-40s %10s %12s\n" "program (median of $runs, $epochs epoch(s))" "wall s" "peak RSS MiB"
printf "%-40s %10.2f %12d\n" "PyTorch word_lm.py ${flags[*]:-}" "$ps" "$pm"
printf "%-40s %10.2f %12d\n" "./antorcha word-lm ${flags[*]:-}" "$as" "$am"
echo
awk -v a="$as" -v p="$ps" -v am="$am" -v pm="$pm" 'BEGIN {
  printf "antorcha / PyTorch wall time:  %.3f  (target <= 0.333)  %s\n", a/p, (a/p <= 1/3 ? "met" : "NOT met");
  printf "antorcha / PyTorch peak RSS:   %.3f  (target <= 0.500)  %s\n", am/pm, (am/pm <= 0.5 ? "met" : "NOT met") }'
echo "test perplexities (PyTorch / antorcha; lower is better): $(cut -d' ' -f3 "$work/pytorch.txt" | tr '\n' ' ')/ $(cut -d' ' -f3 "$work/antorcha.txt" | tr '\n' ' ')"
