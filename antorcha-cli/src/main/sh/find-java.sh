# Sourced by the `antorcha` launcher (bash): find_java prints the bin/java of a JDK 25 or newer,
# looked for where JDKs are usually installed, in this order: $JAVA_HOME, `java` on PATH, the
# JAVA<N>_HOME variables, SDKMAN's candidates, IntelliJ's ~/.jdks, asdf, then the system's folders:
# /usr/lib/jvm (Debian, Ubuntu, Fedora), /usr/java, /opt, Homebrew and macOS's JavaVirtualMachines.
# Java 17 first on PATH (Debian's default) is thus no obstacle when a JDK 25 is installed.

# The feature version of the JDK whose bin/java is $1: from the JDK's release file when it has one
# (starting a JVM just to ask would cost 50 ms on every run), else from the JVM itself.
java_version() {
  local release v=""
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [ -f "$release" ]; then v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"; fi
  if [ -z "$v" ]; then v="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"; fi
  echo "$v"
}

# Every candidate bin/java, one per line, best guesses first.
java_candidates() {
  local d var
  [ -n "${JAVA_HOME:-}" ] && echo "$JAVA_HOME/bin/java"
  command -v java 2>/dev/null || true
  for var in $(compgen -v | grep -E '^JAVA[0-9]+_HOME$' | sort -rV); do echo "${!var}/bin/java"; done
  for d in "${SDKMAN_DIR:-$HOME/.sdkman}/candidates/java" "$HOME/.jdks" "$HOME/.asdf/installs/java" \
           /usr/lib/jvm /usr/java /opt/java /opt /opt/homebrew/opt /usr/local/opt; do
    [ -d "$d" ] || continue
    # newest first, by the version in the folder's name
    for j in $(ls -1d "$d"/*/ 2>/dev/null | sort -rV); do echo "${j%/}/bin/java"; done
  done
  for j in /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do echo "$j"; done
}

# Prints the first candidate that is a JDK 25 or newer (has javac beside java); fails when none is.
find_java() {
  local candidate v
  while IFS= read -r candidate; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    v="$(java_version "$candidate")"
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null && [ -x "$(dirname "$(readlink -f "$candidate")")/javac" ]; then
      echo "$candidate"
      return 0
    fi
  done < <(java_candidates)
  return 1
}
