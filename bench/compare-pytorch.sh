#!/usr/bin/env bash
# Whole-process comparison of the tutorial's job: PyTorch's tutorial, PyTorch's compute-only
# variant and `./antorcha train`, run alternately on the same machine and data, reporting the
# median wall time and peak RSS of each and the ratios.
#
# Usage: bench/compare-pytorch.sh [RUNS] [SHARED_DIR]
#   RUNS        runs of each program (default 3)
#   SHARED_DIR  the shared folder with data/mnist and reference/ (default ../shared)
# Needs: Debian's python3-torch, python3-torchvision, python3-matplotlib (/usr/bin/python3),
#        GNU time (/usr/bin/time), Java 25 (JAVA_HOME) and Maven for the first ./antorcha build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
shared="$(cd "${2:-$here/../shared}" && pwd)"
py=/usr/bin/python3
work="$(mktemp -d "${TMPDIR:-/tmp}/antorcha-compare.XXXXXX")"
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Serve the real MNIST files on 127.0.0.1 (a free port chosen by the OS).
port="$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
$py -m http.server "$port" --bind 127.0.0.1 --directory "$shared/data/mnist" >/dev/null 2>&1 &
server_pid=$!
mirror="http://127.0.0.1:$port/"
for _ in $(seq 50); do $py -c "import urllib.request; urllib.request.urlopen('$mirror')" 2>/dev/null && break; sleep 0.1; done

# compute_only.py reads decompressed files; lay them out once (not timed).
sh "$shared/reference/prepare_data.sh" "$shared/data/mnist" "$work/prepared" mnist >/dev/null
"$here/antorcha" info >/dev/null   # builds the jar if needed (not timed)

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
warm_up train --root . --no-download --epochs 1 --quiet   # writes the class-data archive before the timed runs (not timed)

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d)"
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  measure tutorial $py "$shared/reference/tutorial.py" data mnist "$mirror" losses.png
  measure compute_only $py "$shared/reference/compute_only.py" "$work/prepared" mnist losses.png
  measure antorcha "$here/antorcha" train --mirror "$mirror" --quiet
done

read -r ts tm <<<"$(report tutorial)"
read -r cs cm <<<"$(report compute_only)"
read -r as am <<<"$(report antorcha)"
echo
printf "%-34s %10s %12s\n" "program (median of $runs)" "wall s" "peak RSS MiB"
printf "%-34s %10.2f %12d\n" "PyTorch tutorial.py" "$ts" "$tm"
printf "%-34s %10.2f %12d\n" "PyTorch compute_only.py" "$cs" "$cm"
printf "%-34s %10.2f %12d\n" "./antorcha train" "$as" "$am"
echo
awk -v a="$as" -v t="$ts" -v c="$cs" -v am="$am" 'BEGIN {
  printf "antorcha / tutorial:      %.3f  (target <= 0.100)  %s\n", a/t, (a/t <= 0.1 ? "met" : "NOT met");
  printf "antorcha / compute-only:  %.3f  (target <= 0.500)  %s\n", a/c, (a/c <= 0.5 ? "met" : "NOT met");
  printf "antorcha peak RSS:        %d MiB (target <= 256)  %s\n", am, (am <= 256 ? "met" : "NOT met") }'
echo "accuracies (tutorial / compute-only / antorcha): $(cut -d' ' -f3 "$work/tutorial.txt" | tr '\n' ' ')/ $(cut -d' ' -f3 "$work/compute_only.txt" | tr '\n' ' ')/ $(cut -d' ' -f3 "$work/antorcha.txt" | tr '\n' ' ')"
