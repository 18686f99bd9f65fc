# scripts/jdk.sh: find a JDK for smpcall. Sourced (bash) by ./smpcall and ./run-tests.
#
#   find_jdk       print the home of a JDK with feature version >= 21, else complain and return 2
#   jdk_feature H  print the feature version (8, 17, 21, 25, ...) of the java in home H
#   maven_env      tune MAVEN_OPTS for the JDK in $JAVA_HOME (call after exporting it)

SMPCALL_MIN_JDK=21

jdk_feature() {
    local out ver
    [ -x "$1/bin/java" ] || return 1
    out=$("$1/bin/java" -version 2>&1) || return 1
    # The quoted string on the "version" line: "1.8.0_292", "17.0.15", "21.0.2", "25", "26-ea".
    # (Lines such as "Picked up JAVA_TOOL_OPTIONS: ..." are skipped.)
    ver=$(printf '%s\n' "$out" | sed -n '/ version "/{s/^.* version "\([^"]*\)".*$/\1/p;q;}')
    case "$ver" in 1.*) ver=${ver#1.} ;; esac   # old scheme: 1.8 means 8
    ver=${ver%%[!0-9]*}                          # keep the leading digits only
    [ -n "$ver" ] || return 1
    printf '%s\n' "$ver"
}

# Succeeds if $1 is a JDK (has javac: we build with it) of a recent enough version.
_jdk_usable() {
    local v
    [ -n "$1" ] && [ -x "$1/bin/javac" ] || return 1
    v=$(jdk_feature "$1") || return 1
    [ "$v" -ge "$SMPCALL_MIN_JDK" ]
}

find_jdk() {
    local java home best="" best_v=0 v

    # 1. $JAVA_HOME, if the user set it to something usable
    if [ -n "${JAVA_HOME:-}" ] && _jdk_usable "$JAVA_HOME"; then
        printf '%s\n' "$JAVA_HOME"; return 0
    fi

    # 2. the java on PATH (/usr/bin/java -> /etc/alternatives/java -> <home>/bin/java)
    if java=$(command -v java 2>/dev/null) && java=$(readlink -f "$java"); then
        home=$(dirname "$(dirname "$java")")
        if _jdk_usable "$home"; then
            printf '%s\n' "$home"; return 0
        fi
    fi

    # 3. the highest-versioned usable JDK under /usr/lib/jvm
    for home in /usr/lib/jvm/*; do
        _jdk_usable "$home" || continue   # (also skips the unexpanded glob)
        v=$(jdk_feature "$home")
        if [ "$v" -gt "$best_v" ]; then best=$home; best_v=$v; fi
    done
    if [ -n "$best" ]; then
        printf '%s\n' "$best"; return 0
    fi

    echo "smpcall: no JDK $SMPCALL_MIN_JDK or later found (looked at JAVA_HOME, PATH, /usr/lib/jvm); install one or set JAVA_HOME" >&2
    return 2
}

# Maven 3.8's bundled Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every run.
# The switch that silences it only exists from JDK 23 on, so add it only there.
maven_env() {
    local v
    v=$(jdk_feature "$JAVA_HOME") || return 0
    case " ${MAVEN_OPTS:-} " in *--sun-misc-unsafe-memory-access*) return 0 ;; esac
    if [ "$v" -ge 23 ]; then
        MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
        export MAVEN_OPTS
    fi
}
