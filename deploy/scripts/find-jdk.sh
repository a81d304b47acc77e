# Sourced by ./peersql and .ci/run: sets JAVA_HOME to a JDK 21 or newer.
# Order: $JAVA_HOME if new enough, the java on PATH, then JDKs under /usr/lib/jvm (newest first).

peersql_java_major() {
  # Prints the feature version of the given java executable (17, 21, 25, ...), or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

peersql_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
                   $(ls -d /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(peersql_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "PeerSQL needs a JDK 21 or newer: install one, or set JAVA_HOME to it." >&2
  return 1
}
