# Sourced by the comparison scripts in bench/: timing a program with GNU time and summarising runs.
# Needs $work (a scratch folder) set by the caller.

# measure NAME COMMAND...: runs COMMAND in a fresh folder under $work, appends "seconds rss_kib result"
# to $work/NAME.txt (result: on the last line of its output that starts with $metric, "test
# accuracy" unless the caller sets another, such as "test ppl", the percentage if there is one,
# else the last number: compute_only.py ends that line with "(eval 0.03 s)") and prints one line.
measure() {
  local name="$1"; shift
  local what="${metric:-test accuracy}"
  local dir="$work/run-$name-$RANDOM"; mkdir -p "$dir"
  ( cd "$dir" && /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/out.txt" 2> "$dir/err.txt" ) || {
    echo "$name failed:"; tail -5 "$dir/err.txt"; exit 1; }
  local line acc; line="$(grep "^$what" "$dir/out.txt" | tail -1 || true)"
  acc="$(grep -oE '[0-9]+(\.[0-9]+)?%' <<<"$line" | head -1 | tr -d % || true)"
  [ -n "$acc" ] || acc="$(grep -oE '[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?' <<<"$line" | tail -1 || true)"
  echo "$(cat "$dir/time.txt") ${acc:-?}" >> "$work/$name.txt"
  echo "  $name: $(awk '{printf "%.2f s, %.0f MiB", $1, $2/1024}' "$dir/time.txt"), $what ${acc:-?}"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# report NAME: "median_seconds median_rss_mib" of NAME's runs
report() {
  local s m; s="$(cut -d' ' -f1 "$work/$1.txt" | median)"; m="$(cut -d' ' -f2 "$work/$1.txt" | median)"
  echo "$s $(awk -v k="$m" 'BEGIN {printf "%.0f", k/1024}')"
}

# warm_up ARGS...: runs `antorcha ARGS` once, untimed, in a scratch folder that holds the committed
# MNIST sample under MNIST/raw (so `--root .` finds it), so that the JVM writes the command's
# class-data archive before the timed runs. Otherwise the first run after a build writes it at its
# exit: that run was 1-2 s longer and 30-40 MiB larger (BENCHMARKS.md, 2026-12-07), enough to move
# a one-run comparison across the memory goal. Needs $here (the repository) and $work.
warm_up() {
  local dir="$work/warm-up-$RANDOM"; mkdir -p "$dir/MNIST/raw"
  cp "$here"/testdata/mnist-small/*.gz "$dir/MNIST/raw/"
  ( cd "$dir" && "$here/antorcha" "$@" ) > "$dir/out.txt" 2>&1 || {
    echo "warm-up failed: antorcha $*"; tail -5 "$dir/out.txt"; exit 1; }
}
