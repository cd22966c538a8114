#!/usr/bin/env bash
# The scale curve: the tutorial's network at growing sizes and two batch sizes, one epoch each,
# `./antorcha train` (default launcher settings) side by side with PyTorch (bench/pytorch_mlp.py:
# the same network with the data preloaded, so only its computation counts), in one run.
# Prints wall time and peak RSS of each, the ratio, and the share of the machine's peak that the
# training arithmetic would take (6 flops per weight per image: forward, and backward's two products).
#
# Usage: bench/scale-curve.sh [PEAK_GFLOPS] [SHARED_DIR] [SIZES...]
#   PEAK_GFLOPS  the machine's two-core float32 peak (PeakFlopsBenchmark with -t 2; default 140)
#   SHARED_DIR   the shared folder with data/mnist and reference/ (default ../shared)
#   SIZES        H1,H2 pairs (default 100,50 1000,500 2000,1000 4000,2000)
# Needs: Debian's python3-torch (/usr/bin/python3), GNU time (/usr/bin/time), Java 25 and Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peak="${1:-140}"
shared="$(cd "${2:-$here/../shared}" && pwd)"
shift $(( $# > 2 ? 2 : $# ))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100,50 1000,500 2000,1000 4000,2000)
py=/usr/bin/python3
work="$(mktemp -d "${TMPDIR:-/tmp}/antorcha-scale.XXXXXX")"
trap 'rm -rf "$work"' EXIT
sh "$shared/reference/prepare_data.sh" "$shared/data/mnist" "$work/data" mnist >/dev/null
"$here/antorcha" info >/dev/null   # builds the jar if needed (not timed)

run() {   # prints "seconds rss_mib"
  local dir="$work/run-$RANDOM"; mkdir -p "$dir"
  ( cd "$dir" && /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/out.txt" 2> "$dir/err.txt" ) || {
    echo "failed: $*" >&2; tail -5 "$dir/err.txt" >&2; exit 1; }
  awk '{printf "%.2f %.0f", $1, $2/1024}' "$dir/time.txt"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d); peak $peak GFLOP/s; 1 epoch"
printf "%-10s %6s | %10s %8s | %10s %8s | %6s %6s | %9s %9s\n" hidden batch "PyTorch s" "MiB" "antorcha s" "MiB" "time" "RSS" "GFLOP/s" "% peak"
for h in "${sizes[@]}"; do
  for b in 128 512; do
    read -r ps pm <<<"$(run $py "$here/bench/pytorch_mlp.py" "$work/data" "$h" 1 "$b")"
    read -r as am <<<"$(run "$here/antorcha" train --hidden "$h" --batch-size "$b" --epochs 1 --quiet \
        --root "$work/data" --no-download --save w.safetensors --plot p.png)"
    awk -v h="$h" -v b="$b" -v ps="$ps" -v pm="$pm" -v as="$as" -v am="$am" -v peak="$peak" 'BEGIN {
      split(h, s, ","); w = 784 * s[1] + s[1] * s[2] + s[2] * 10; gf = 6 * w * 60000 / 1e9;
      printf "%-10s %6d | %10.2f %8d | %10.2f %8d | %6.2f %6.2f | %9.1f %8.0f%%\n",
        h, b, ps, pm, as, am, as / ps, am / pm, gf / as, 100 * gf / as / peak }'
  done
done
echo "(time and RSS columns after the sizes: antorcha / PyTorch; GFLOP/s: the training arithmetic over antorcha's whole wall time)"
