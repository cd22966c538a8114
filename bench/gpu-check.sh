#!/usr/bin/env bash
# Prepares .gpu/ (git-ignored) for a check of the CUDA backend on a lent GPU machine (x86-64 Linux,
# an NVIDIA GPU, python3 with PyTorch for CUDA and NVIDIA's pip wheels; no Java, Maven or network),
# which gets the repository's files and .gpu/ and runs `bash .gpu/run.sh` (see its header) there:
#   jre.tar.xz        a jlinked Java runtime, only the modules the jars below use: an uncompressed
#                     image (zip-0) through xz, 21 MB, where the zip-9 image alone is 58 MB
#   lib/              the CLI's fat jar (the one ./antorcha runs); antorcha-cuda's jars and test
#                     classes when built; JUnit's console launcher and AssertJ to run those tests
#   mnist/MNIST/raw/  MNIST's four .gz files, torchvision's layout
#   reference/        the PyTorch reference programs, and *_cuda.py variants of the three that train
#   parity*.tar.xz    the shared folder's PyTorch reference cases, smallest folder first, as many as fit
#   run.sh            the check itself
# and must stay under 48 MiB (the device tool carries 64 MiB with the repository's files).
#
# Usage: bench/gpu-check.sh [MNIST_DIR] [REFERENCE_DIR]
#   MNIST_DIR      the four MNIST *-ubyte.gz files (default ../shared/data/mnist)
#   REFERENCE_DIR  the PyTorch reference programs; the parity* folders beside it go too
#                  (default ../shared/reference)
# Needs: a JDK 25 (JAVA_HOME, or found where ./antorcha looks), xz, the fat jar built (./antorcha
#        info builds it), JUnit's console launcher in ~/.m2 or Maven to fetch it, AssertJ in ~/.m2.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mnist="$(cd "${1:-$here/../shared/data/mnist}" && pwd)"
ref="$(cd "${2:-$here/../shared/reference}" && pwd)"
shared="$(dirname "$ref")"
gpu="$here/.gpu"
limit=$(( 48 * 1024 * 1024 ))
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
work="$(mktemp -d "${TMPDIR:-/tmp}/antorcha-gpu.XXXXXX")"
trap 'rm -rf "$work"' EXIT
die() { echo "gpu-check: $*" >&2; exit 1; }
size() { du -sb "$1" | cut -f1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# The JDK: JAVA_HOME when it is a JDK 25 or newer, else where ./antorcha would find one.
# shellcheck source=antorcha-cli/src/main/sh/find-java.sh
source "$here/antorcha-cli/src/main/sh/find-java.sh"
java_bin="$(find_java)" || die "needs a JDK 25 or newer: set JAVA_HOME to one"
jdk="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"
[ -x "$jdk/bin/jlink" ] || die "$jdk has no jlink"

# The jar the launcher runs (its line jar="$here/..."), built and newer than every main source.
jar_rel="$(sed -n 's|^jar="\$here/\(.*\)"$|\1|p' "$here/antorcha")"
jar="$here/${jar_rel:-antorcha-cli/target/antorcha.jar}"
[ -f "$jar" ] || die "no $jar: build it first (./antorcha info)"
if [ -n "$(find "$here" \( -path "$here/*/target" -o -path "$gpu" -o -path "$here/.git" \) -prune -o \
    \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit)" ]; then
  echo "warning: sources changed since $jar was built; rebuild first to check them" >&2
fi

rm -rf "$gpu" && mkdir -p "$gpu/lib" "$gpu/mnist/MNIST/raw" "$gpu/reference"
cp "$jar" "$gpu/lib/antorcha.jar"
if compgen -G "$here/antorcha-cuda/target/*.jar" >/dev/null; then cp "$here"/antorcha-cuda/target/*.jar "$gpu/lib/"
else echo "note: no antorcha-cuda/target/*.jar (not built): only the fat jar goes"; fi
if [ -d "$here/antorcha-cuda/target/test-classes" ]; then cp -r "$here/antorcha-cuda/target/test-classes" "$gpu/lib/"
else echo "note: no antorcha-cuda/target/test-classes (not built): run.sh will skip antorcha-cuda's tests"; fi

# JUnit's console launcher (Platform 1.x goes with Jupiter 5.x; from 6 on they share versions) and AssertJ.
junit="$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' "$here/pom.xml")"
assertj="$(sed -n 's:.*<assertj.version>\(.*\)</assertj.version>.*:\1:p' "$here/pom.xml")"
[ -n "$junit" ] && [ -n "$assertj" ] || die "no junit.version or assertj.version in pom.xml"
case "$junit" in 5.*) platform="1.${junit#5.}" ;; *) platform="$junit" ;; esac
console="$m2/org/junit/platform/junit-platform-console-standalone/$platform/junit-platform-console-standalone-$platform.jar"
if [ -f "$console" ]; then cp "$console" "$gpu/lib/"; else   # Maven run outside the repository: no project read
  (cd "$work" && mvn -q -B dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform" \
      -DoutputDirectory="$gpu/lib") || die "could not fetch JUnit's console launcher $platform (Maven, network)"; fi
cp "$m2/org/assertj/assertj-core/$assertj/assertj-core-$assertj.jar" "$gpu/lib/" || die "no AssertJ $assertj in $m2"

# How run.sh starts the CLI (a java @argfile): as ./antorcha does, but with antorcha-cuda's jar after
# the fat jar on the class path, so that the CUDA backend is found even where the fat jar lacks it.
desc="$("$jdk/bin/jar" --describe-module --file "$jar")"
main="$(awk '$1 == "main-class" { print $2 }' <<< "$desc")"
cuda_jars="$(cd "$gpu/lib" && compgen -G 'antorcha-cuda*.jar' | sed 's|^|:.gpu/lib/|' | tr -d '\n')"
[ -n "$main" ] || die "$jar names no main class"
printf -- '-cp .gpu/lib/antorcha.jar%s\n%s\n' "$cuda_jars" "$main" > "$gpu/lib/cli.args"
grep -q 'BackendProvider with.*[Cc]uda' <<< "$desc" || echo "note: the fat jar has no CUDA backend; the CLI's class path adds ${cuda_jars:-nothing (no antorcha-cuda jar)}"

# The runtime: the JDK modules the jars and test classes use (jdeps's answer; a modular jar's, whose
# requires jdeps would want resolved, from its descriptor) and the Vector API; native symbols stripped.
plain=() need=(jdk.incubator.vector)
[ -d "$gpu/lib/test-classes" ] && plain=("$gpu/lib/test-classes")
for f in "$gpu"/lib/*.jar; do
  if [ "$("$jdk/bin/jar" tf "$f" | grep -cx module-info.class)" = 0 ]; then plain+=("$f"); continue; fi
  need+=($("$jdk/bin/jar" --describe-module --file "$f" | awk '$1 == "requires" && $2 ~ /^(java|jdk)\./ { print $2 }'))
done
need+=($("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "${plain[@]}" | tr , ' '))
modules="$(printf '%s\n' "${need[@]}" | sort -u | paste -sd,)"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-0 --output "$work/jre" > "$work/jlink.log" 2>&1 || { cat "$work/jlink.log" >&2; die "jlink failed"; }
if command -v strip >/dev/null; then find "$work/jre/lib" -name '*.so' -exec strip --strip-unneeded {} +; fi
version="$("$work/jre/bin/java" --add-modules jdk.incubator.vector -jar "$gpu/lib/antorcha.jar" --version 2>/dev/null)" &&
    [[ "$version" == antorcha* ]] || die "the jlinked runtime does not run $jar"
tar -C "$work" -cf - jre | xz -6 > "$gpu/jre.tar.xz"
echo "runtime: $(sed -n 's/^JAVA_VERSION="\(.*\)"/Java \1/p' "$work/jre/release"), modules $modules; $(mib "$(size "$gpu/jre.tar.xz")") packed"

cp "$mnist"/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz "$gpu/mnist/MNIST/raw/" || die "$mnist lacks MNIST's files"

# The reference programs, and CUDA variants of those that train: the model and every batch moved to
# the device (GPU_CHECK_DEVICE, default cuda), the tutorial's epochs from GPU_CHECK_EPOCHS, and
# matplotlib optional (a stub that draws nothing where it is missing; the tutorial's plot style,
# gone from newer matplotlib, left out).
cp "$ref"/{tutorial.py,compute_only.py,mnist_cnn.py,prepare_data.sh} "$gpu/reference/"
cat > "$work/prelude.py" <<'EOF'
import importlib.util, os, sys, types  # CUDA variant written by bench/gpu-check.sh
dev = os.environ.get('GPU_CHECK_DEVICE', 'cuda')
if importlib.util.find_spec('matplotlib') is None:
    class _NoPlots(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith('__'): raise AttributeError(name)
            return self
        def __call__(self, *args, **kwargs): return self
    sys.modules['matplotlib'] = sys.modules['matplotlib.pyplot'] = _NoPlots('matplotlib')
EOF
for p in tutorial:3 compute_only:2 mnist_cnn:3; do
  name="${p%:*}" out="$gpu/reference/${p%:*}_cuda.py"
  { cat "$work/prelude.py"; sed -e 's/\(= Classifier()\|= Net()\)$/\1.to(dev)/' \
      -e 's/Variable(images), Variable(tags)$/images.to(dev), tags.to(dev)/' \
      -e 's/(classifier(x)\.argmax(1) == y)/(classifier(x.to(dev)).argmax(1) == y.to(dev))/' \
      -e 's/^\( *\)for data, target in \(.*\):$/&\n\1    data, target = data.to(dev), target.to(dev)/' \
      -e 's/^load_time = /x_train, y_train, x_test, y_test = (t.to(dev) for t in (x_train, y_train, x_test, y_test))\n&/' \
      -e "s/^epochs = 3$/epochs = int(os.environ.get('GPU_CHECK_EPOCHS', 3))/" \
      -e "s/^plt\.style\.use(.*/pass  # &/" "$ref/$name.py"; } > "$out"
  [ "$(grep -c 'to(dev)' "$out")" = "${p#*:}" ] || die "$ref/$name.py changed: the CUDA patch no longer fits it"
done

cat > "$gpu/run.sh" <<'EOF'
#!/usr/bin/env bash
# shellcheck disable=SC2046
# The GPU check, written by bench/gpu-check.sh: run from the repository root, `bash .gpu/run.sh`.
# Shows the GPU and PyTorch, points ANTORCHA_CUDA_LIBS at NVIDIA's pip wheels, then runs, each step
# under a time limit whatever the others did: antorcha-cuda's tests, the tutorial's job on Antorcha
# (`train --device cuda`) and PyTorch, the CNN (1 epoch) on both, then `parity --device cuda` on each
# carried set of cases. Everything printed also goes to $OUT/gpu-check.log.
# Environment: GPU_CHECK_QUICK=1 trains on the repository's small MNIST sample, 1 epoch each;
# GPU_CHECK_BUDGET (seconds, default 420) bounds all steps together; GPU_CHECK_DEVICE (default
# cuda); PYTHON (default python3); ANTORCHA_JAVA_OPTS adds JVM options. $(opts ...) is split on purpose.
set -uo pipefail
if [ -n "${OUT:-}" ]; then mkdir -p "$OUT"; exec > >(tee -a "$OUT/gpu-check.log") 2>&1; fi
gpu=.gpu py="${PYTHON:-python3}" dev="${GPU_CHECK_DEVICE:-cuda}" deadline=$(( SECONDS + ${GPU_CHECK_BUDGET:-420} ))
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")"; trap 'rm -rf "$tmp"' EXIT
results="${OUT:-$tmp}" summary=() failed=0 timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -v)

# step NAME LIMIT_S COMMAND...: runs COMMAND under timeout (at most what the budget has left), says how it went.
step() {
  local name="$1" limit="$2" t0 rc=0 how=ok; shift 2
  (( limit > deadline - SECONDS )) && limit=$(( deadline - SECONDS ))
  if (( limit < 5 )); then summary+=("$name: SKIPPED (time budget spent)"); failed=1; return; fi
  echo; echo "=== $name (limit ${limit} s): $*"; t0="$(date +%s.%N)"
  timeout -k 10 "$limit" "$@" || rc=$?
  case $rc in 0) ;; 124|137) how="TIMED OUT after $limit s"; failed=1 ;; *) how="FAILED (exit $rc)"; failed=1 ;; esac
  how="$how, $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s wall", b - a }')"
  echo "=== $name: $how"; summary+=("$name: $how")
}
# The JVM options ./antorcha gives `antorcha ARGS` (heap.sh's heap for train), plus native access for CUDA.
opts() {
  local heap=128m ratio=2 survivor=8 young=0 pretenure="" d=antorcha-cli/src/main/jvm/compiler-directives.json
  if [ "$1" = train ]; then heap=512m
    # shellcheck source=/dev/null
    if source antorcha-cli/src/main/sh/heap.sh 2>/dev/null; then read -r heap ratio survivor young pretenure <<< "$(heap_sizes "$@")"; heap="${heap}m"; fi
  fi
  echo "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx$heap"
  if [ "${young:-0}" -gt 0 ]; then echo "-Xms$heap -Xmn${young}m"; else echo "-Xms64m -XX:NewRatio=${ratio:-2}"; fi
  echo "-XX:SurvivorRatio=${survivor:-8} -XX:-UseProfiledLoopPredicate -XX:TrimNativeHeapInterval=200 ${pretenure:+-XX:PretenureSizeThreshold=$pretenure}"
  [ -f "$d" ] && echo "-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$d -XX:+DisplayVMOutputToStderr"
  echo "${ANTORCHA_JAVA_OPTS:-}"
}

echo "=== machine: $(uname -srm), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
if command -v nvidia-smi >/dev/null; then nvidia-smi; else echo "no nvidia-smi"; fi
"$py" -c 'import torch; print("torch", torch.__version__, "| CUDA", torch.version.cuda, "|", torch.cuda.get_device_name() if torch.cuda.is_available() else "no CUDA device visible to PyTorch")' \
  || echo "no PyTorch in $py: PyTorch's steps will fail"
libs="$("$py" -c 'import glob, os, sys; print(":".join(sorted({d for p in sys.path for d in glob.glob(os.path.join(p or ".", "nvidia", "*", "lib"))})))' 2>/dev/null)"
export ANTORCHA_CUDA_LIBS="${ANTORCHA_CUDA_LIBS:+$ANTORCHA_CUDA_LIBS:}$libs"
echo "ANTORCHA_CUDA_LIBS=${ANTORCHA_CUDA_LIBS:-(no site-packages/nvidia/*/lib found)}"
cuda_lib="$(ldconfig -p 2>/dev/null | awk '/libcuda\.so/ { print $NF; exit }')"; echo "libcuda: ${cuda_lib:-not in the ldconfig cache}"

# The runtime, and the shared folder's layout (parity*, data/mnist, reference), under $tmp: unpack
# ARCHIVE DIR uses tar and xz, else Python's tarfile.
unpack() { tar -xJf "$1" -C "$2" 2>/dev/null || "$py" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; }
unpack "$gpu/jre.tar.xz" "$tmp" || { echo "cannot unpack $gpu/jre.tar.xz (no xz, no python3)"; exit 1; }
java="$tmp/jre/bin/java" cli=@"$gpu/lib/cli.args"; mkdir -p "$tmp/shared/data"
for a in "$gpu"/parity*.tar.xz; do [ -f "$a" ] && { unpack "$a" "$tmp/shared" || echo "cannot unpack $a"; }; done
ln -s "$PWD/$gpu/mnist/MNIST/raw" "$tmp/shared/data/mnist"; ln -s "$PWD/$gpu/reference" "$tmp/shared/reference"
step "java starts" 60 "$java" $(opts info) "$cli" info

# (a) antorcha-cuda's tests, with the console launcher, on the class path as under Maven.
if [ -d "$gpu/lib/test-classes" ]; then
  cp="$gpu/lib/test-classes$(printf ':%s' "$gpu"/lib/*.jar)"
  step "antorcha-cuda tests" 180 "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g \
    -Dantorcha.shared="$tmp/shared" -Dantorcha.testdata="$PWD/testdata" -jar "$gpu"/lib/junit-platform-console-standalone-*.jar \
    execute --disable-banner --disable-ansi-colors --class-path "$cp" --scan-classpath "$gpu/lib/test-classes"
else summary+=("antorcha-cuda tests: SKIPPED (no test classes in $gpu/lib)"); fi

# (b) the training jobs, Antorcha's then PyTorch's, on the same data (the small sample when quick):
# the tutorial's first, then the CNNs, then the reference cases through the command, so that a spent
# budget skips what the tests already covered.
root="$PWD/$gpu/mnist" epochs=3
if [ "${GPU_CHECK_QUICK:-0}" = 1 ]; then root="$tmp/mnist-small" epochs=1; mkdir -p "$root/MNIST/raw"; cp testdata/mnist-small/*.gz "$root/MNIST/raw/"; fi
data=(--root "$root" --no-download)
sh "$gpu/reference/prepare_data.sh" "$root/MNIST/raw" "$tmp/prepared" mnist >/dev/null
export GPU_CHECK_DEVICE="$dev" GPU_CHECK_EPOCHS="$epochs"
step "antorcha train (mlp, $epochs epoch(s))" 90 "${timer[@]}" "$java" $(opts train) "$cli" train --device "$dev" "${data[@]}" \
  --epochs "$epochs" --save "$tmp/mlp.safetensors" --plot "$results/antorcha-mlp.png"
step "pytorch tutorial ($epochs epoch(s))" 90 "${timer[@]}" "$py" "$gpu/reference/tutorial_cuda.py" "$tmp/prepared" mnist - "$results/pytorch-mlp.png"
step "pytorch compute_only ($epochs epoch(s))" 60 "${timer[@]}" "$py" "$gpu/reference/compute_only_cuda.py" "$tmp/prepared" mnist "$tmp/co.png" 0 100,50 "$epochs"

# (c) the CNN on both; (d) the reference cases through the command (the tests ran them too).
step "antorcha train (cnn, 1 epoch)" 150 "${timer[@]}" "$java" $(opts train --model cnn) "$cli" train --model cnn --device "$dev" \
  "${data[@]}" --epochs 1 --save "$tmp/cnn.safetensors" --plot "$results/antorcha-cnn.png"
step "pytorch mnist_cnn (1 epoch)" 90 "${timer[@]}" "$py" "$gpu/reference/mnist_cnn_cuda.py" "$tmp/prepared" 1 1

for d in "$tmp"/shared/parity*/; do
  [ -d "$d" ] || continue
  step "parity $(basename "$d")" 40 "$java" $(opts parity) "$cli" parity --device "$dev" "$d"
done

echo; echo "=== summary"; printf '  %s\n' "${summary[@]}"
exit "$failed"
EOF

# The PyTorch reference cases, smallest folder first (du), packed, as many as fit.
kept=() left=()
while IFS=$'\t' read -r _ d; do
  name="$(basename "$d")"
  tar -C "$shared" -cf - "$name" | xz -6 > "$gpu/$name.tar.xz"
  if [ "$(size "$gpu")" -gt "$limit" ]; then rm "$gpu/$name.tar.xz"; left+=("$name"); else kept+=("$name"); fi
done < <(du -sb "$shared"/parity*/ 2>/dev/null | sort -n)

total="$(size "$gpu")"
echo "parity cases carried: ${kept[*]:-none}; left out (too large): ${left[*]:-none}"
echo ".gpu/: $(mib "$total") (at most $(mib "$limit"))"
[ "$total" -le "$limit" ] || die ".gpu/ is larger than $(mib "$limit")"
chmod +x "$gpu/run.sh"
echo "On the GPU machine, from the repository root, with .gpu carried:  bash .gpu/run.sh"
