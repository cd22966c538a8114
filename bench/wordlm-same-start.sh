#!/usr/bin/env bash
# The word language model from the same initial weights in PyTorch and Antorcha, without dropout
# (nothing random left): the first chunks' losses and gradient norms side by side, in float32 and
# float64, and the test perplexity after one epoch, also with decoder.weight[0, 0] moved by 1e-6
# (how far the arithmetic alone moves one epoch's result).
#
# Usage: bench/wordlm-same-start.sh [SHARED_DIR] [CHUNKS]
#   SHARED_DIR  the shared folder with data/wikitext-2-small and reference/ (default ../shared)
#   CHUNKS      stop each run after this many chunks (default 0: the whole epoch and its perplexity)
# Needs: Debian's python3-torch and python3-numpy (/usr/bin/python3), Java 25 and Maven for the
#        first ./antorcha build. The whole epoch, all eight runs: about 25 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "${1:-$here/../shared}" && pwd)"
chunks="${2:-0}"
corpus="$shared/data/wikitext-2-small"
work="$(mktemp -d "${TMPDIR:-/tmp}/antorcha-same-start.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$here/antorcha" info >/dev/null   # builds the jar if needed
source "$here/antorcha-cli/src/main/sh/find-java.sh"
java_bin="$(find_java)"
init="$work/init.safetensors"
py() { /usr/bin/python3 "$here/bench/wordlm_same_start.py" "$shared/reference/word_lm.py" "$corpus" "$init" --chunks "$chunks" "$@"; }
jv() { "$java_bin" --add-modules jdk.incubator.vector -Xmx6g -cp "$here/antorcha-cli/target/antorcha.jar" \
  "$here/bench/WordLmSameStart.java" "$corpus" "$init" --chunks "$chunks" "$@" 2> >(grep -v '^WARNING: Using incubator' >&2); }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d)"
for run in "float32" "float32 --perturb 1" "float64"; do
  read -r dtype perturb <<< "$run"
  extra=(); [ "$dtype" = float64 ] && extra+=(--float64); [ -n "${perturb:-}" ] && extra+=($perturb)
  echo "== $run =="
  py "${extra[@]}" > "$work/py.txt"
  jv "${extra[@]}" > "$work/java.txt"
  paste -d'|' <(sed 's/^/PyTorch  /' "$work/py.txt") <(sed 's/^/   Antorcha  /' "$work/java.txt")
done
