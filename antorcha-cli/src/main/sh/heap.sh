# Sourced by the `antorcha` launcher (bash): heap_mb prints the maximum heap, in MB, that the
# command line "$@" of `antorcha train` needs: the data set; the network's weights with their
# gradients and two optimizer moments; a batch's activations; twice over, at least 128 MB. The
# MNIST CNN (--model cnn) takes 192 MB plus 2 MB per image of its batch. A resumed run takes the
# model and hidden sizes the command line leaves out from its checkpoint's manifest.
heap_mb() {
  local model=mlp hidden=100,50 batch="" prev="" a resumed=""
  for a in "$@"; do
    case "$prev" in --model) model="$a" ;; --hidden) hidden="$a" ;; --batch-size) batch="$a" ;; esac
    case "$a" in --model=*) model="${a#*=}" ;; --hidden=*) hidden="${a#*=}" ;; --batch-size=*) batch="${a#*=}" ;; esac
    if [ "$prev" = --resume ] && [ -f "$a/checkpoint.json" ]; then resumed="$a/checkpoint.json"; fi
    prev="$a"
  done
  if [ -n "$resumed" ]; then
    if grep -q '"--model" *: *"cnn"' "$resumed"; then model=cnn; fi
    local saved
    saved="$(grep -o '"--hidden" *: *"[0-9]*,[0-9]*"' "$resumed" | grep -o '[0-9]*,[0-9]*')" && hidden="${saved:-$hidden}"
  fi
  local h1="${hidden%%,*}" h2="${hidden##*,}"
  case "$h1$h2$batch" in *[!0-9]*|"") echo 512; return ;; esac   # the command itself will say what is wrong
  if [ "$model" = cnn ]; then
    echo $(( 192 + 2 * ${batch:-64} ))
  else
    local params=$(( 784 * h1 + h1 * h2 + 10 * h2 ))
    local bytes=$(( 16 * params + 24 * ${batch:-128} * (794 + h1 + h2) ))
    local mb=$(( 96 + 2 * bytes / 1048576 ))
    echo $(( mb < 128 ? 128 : mb ))
  fi
}
