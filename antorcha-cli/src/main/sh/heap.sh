# Sourced by the `antorcha` launcher (bash): heap_mb prints the maximum heap, in MB, that the
# command line "$@" of `antorcha train` needs: the network's weights with their gradients and two
# optimizer moments and a batch's activations, 1.35 times over, plus 64 MB for the data set
# (MNIST's pixels as bytes, 55 MB) and the JVM's own objects, at least 128 MB; young_ratio prints
# the old generation's size over the young one's for it, survivor_ratio eden's over a survivor
# space's. Twice over (and the collector's default
# ratio, 2) kept peak RSS at 0.52-0.63 of PyTorch's for hidden 4000,2000. 1.35 times over with a
# young generation of a sixth (ratio 5) gives 0.45-0.49, with about 1 s of collection in a 45 s
# epoch, as twice over had: the weights and the data set live in the old generation, and a
# smaller young one leaves it room for the activations that a young collection promotes, so it is
# collected fully 32 times instead of 116 (BENCHMARKS.md has the figures). The tutorial's network
# keeps 128 MB and the default ratio. The MNIST CNN (--model cnn) takes 112 MB plus 2 MB per image
# of its batch (240 MB at 64). Its activations and gradients (arrays of 1 MB and more) are recycled
# by the CPU backend once unreachable (its Recycler), so they are allocated straight in the old
# generation (pretenured from 1 MB), where they stay, and the young generation holds only a step's
# small objects: 6 MB, eden and survivor spaces of 2 MB each (survivor ratio 1). A young collection
# is what finds the unreachable arrays, so a small eden finds them soon, several times a step; in an
# eden of 8, 16 or 32 MB they were found later, missed more often, and the arrays made instead filled
# the old generation (24 to 300 full collections an epoch instead of about 12-22; BENCHMARKS.md).
# Peak RSS 341 MiB at 240 MB (it was 344-355 MiB with the 272 MB this job had before recycling).
# The MNIST RNN (--model mnist-rnn) takes 96 MB plus a quarter MB
# per image of its batch (112 MB at 64: the data set as bytes, 55 MB, is most of its live set), a
# third young with survivor spaces of a quarter of that each: a step's activations outlive a young
# collection made during the step, and in the default tenth-sized survivor spaces they overflowed
# into the old generation; in 160 MB at the default ratios peak RSS was 247-252 MiB, now 190-193
# (PyTorch: 393), with 13 full collections an epoch. A resumed run takes the model and hidden sizes
# the command line leaves out from its checkpoint's manifest. `antorcha word-lm` is sized by
# word_lm_heap_mb below.
heap_mb() { heap_field 0 "$@"; }
young_ratio() { heap_field 1 "$@"; }
survivor_ratio() { heap_field 2 "$@"; }
young_mb() { heap_field 3 "$@"; }
pretenure() { heap_field 4 "$@"; }

# Field N (from 0) of heap_sizes "$@".
heap_field() {
  local n="$1" fields
  shift
  read -ra fields <<< "$(heap_sizes "$@")"
  echo "${fields[$n]:-0}"
}

# All five: "MB NEW_RATIO SURVIVOR_RATIO YOUNG_MB PRETENURE" (the serial collector's defaults are 2
# and 8); YOUNG_MB is 0 where the ratio sizes the young generation, else its size (-Xmn, the whole
# heap committed from the start: a young generation that grows from a small initial heap left a
# chunk's 49 MiB log-probabilities no room in either generation); PRETENURE, when given, is the
# size from which arrays are allocated straight in the old generation (-XX:PretenureSizeThreshold).
heap_sizes() {
  if [ "${1:-}" = word-lm ]; then
    local sizes
    read -ra sizes <<< "$(word_lm_heap_mb "$@")"
    echo "${sizes[0]} 2 2 ${sizes[1]}"
    return
  fi
  local model=mlp hidden=100,50 batch="" prev="" a resumed=""
  for a in "$@"; do
    case "$prev" in --model) model="$a" ;; --hidden) hidden="$a" ;; --batch-size) batch="$a" ;; esac
    case "$a" in --model=*) model="${a#*=}" ;; --hidden=*) hidden="${a#*=}" ;; --batch-size=*) batch="${a#*=}" ;; esac
    if [ "$prev" = --resume ] && [ -f "$a/checkpoint.json" ]; then resumed="$a/checkpoint.json"; fi
    prev="$a"
  done
  if [ -n "$resumed" ]; then
    if grep -q '"--model" *: *"cnn"' "$resumed"; then model=cnn; fi
    if grep -q '"--model" *: *"mnist-rnn"' "$resumed"; then model=mnist-rnn; fi
    local saved
    saved="$(grep -o '"--hidden" *: *"[0-9]*,[0-9]*"' "$resumed" | grep -o '[0-9]*,[0-9]*')" && hidden="${saved:-$hidden}"
  fi
  local h1="${hidden%%,*}" h2="${hidden##*,}"
  case "$h1$h2$batch" in *[!0-9]*|"") echo 512 2 8; return ;; esac   # the command itself will say what is wrong
  if [ "$model" = cnn ]; then
    echo $(( 112 + 2 * ${batch:-64} )) 1 1 6 1m
  elif [ "$model" = mnist-rnn ]; then
    echo $(( 96 + ${batch:-64} / 4 )) 2 2
  else
    local params=$(( 784 * h1 + h1 * h2 + 10 * h2 ))
    local bytes=$(( 16 * params + 24 * ${batch:-128} * (794 + h1 + h2) ))
    local mb=$(( 64 + 135 * bytes / 100 / 1048576 ))
    if [ "$mb" -le 128 ]; then echo 128 2 8; else echo "$mb" 5 8; fi
  fi
}

# `antorcha word-lm DATA_DIR ...`: the language model's memory follows its vocabulary V, counted
# here from the corpus folder's three files (words separated by blanks, as the command reads them,
# in about 0.1 s for WikiText-2-small). word_lm_heap_mb prints "HEAP_MB YOUNG_MB": per chunk of
# bptt x batch tokens the decoder makes [bptt * batch, V] logits, their log-softmax and the
# gradient of the logits (T bytes each, 49 MiB for WikiText-2-small), which die within the chunk.
# The young generation takes 5 T: eden 2.5 T and survivor spaces of 1.25 T each (survivor ratio
# 2), so that the one or two of them that are live when eden fills stay young and die there; in
# the default tenth-sized survivor spaces they were promoted, and the old generation was collected
# fully twice a second. The old generation holds what lives long, 1.5 times over plus 48 MB: the
# weights (two V x emsize matrices, one when tied, and the recurrent layers) with their gradients,
# the token ids as int64, twice (the stream and its columns), the text while it is read. At least
# 128 MB. Without a readable corpus folder: 1024 MB (the command itself then says what is wrong).
word_lm_heap_mb() {
  local prev="" a dir="" emsize=200 nhid=200 nlayers=2 bptt=35 batch=20 tied=0 model=LSTM
  shift
  for a in "$@"; do
    case "$prev" in
      --emsize) emsize="$a" ;; --nhid) nhid="$a" ;; --nlayers) nlayers="$a" ;; --bptt) bptt="$a" ;;
      --batch-size) batch="$a" ;; --model) model="$a" ;;
    esac
    case "$a" in
      --emsize=*) emsize="${a#*=}" ;; --nhid=*) nhid="${a#*=}" ;; --nlayers=*) nlayers="${a#*=}" ;;
      --bptt=*) bptt="${a#*=}" ;; --batch-size=*) batch="${a#*=}" ;; --model=*) model="${a#*=}" ;;
      --tied) tied=1 ;;
    esac
    if [ -z "$dir" ] && [ "${a#-}" = "$a" ] && [ -d "$a" ]; then dir="$a"; fi
    prev="$a"
  done
  case "$emsize$nhid$nlayers$bptt$batch" in *[!0-9]*|"") echo "1024 0"; return ;; esac
  if [ -z "$dir" ] || [ ! -r "$dir/train.txt" ] || [ ! -r "$dir/valid.txt" ] || [ ! -r "$dir/test.txt" ]; then
    echo "1024 0"; return
  fi
  local counts vocab tokens bytes
  counts="$(awk '{ n += NF + 1; for (i = 1; i <= NF; i++) if (!($i in v)) { v[$i]; u++ } } END { print u + 1, n }' \
      "$dir/train.txt" "$dir/valid.txt" "$dir/test.txt" 2>/dev/null)" || { echo "1024 0"; return; }
  vocab="${counts% *}" tokens="${counts#* }"
  bytes="$(cat "$dir/train.txt" "$dir/valid.txt" "$dir/test.txt" | wc -c)"
  local gates=4
  case "$model" in GRU|gru) gates=3 ;; RNN_*|rnn_*) gates=1 ;; esac
  local matrices=$(( tied ? 1 : 2 ))
  local params=$(( matrices * vocab * emsize + vocab + nlayers * gates * nhid * (emsize + nhid + 2) ))
  local young=$(( 5 * 4 * bptt * batch * vocab / 1048576 ))
  local old=$(( 48 + 3 * (8 * params + 16 * tokens + 3 * bytes) / 2 / 1048576 ))
  young=$(( young < 32 ? 32 : young ))
  local mb=$(( young + old < 128 ? 128 : young + old ))
  echo "$mb $young"
}
