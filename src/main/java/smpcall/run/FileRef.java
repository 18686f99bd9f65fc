package smpcall.run;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * How a run-id names a user's file (a model or a scenario): its path as typed, and after an
 * {@code @} the first 12 hex digits of the SHA-256 of its content; as typed on a command
 * line, just the path.
 *
 * @param path the path as typed
 * @param hash the hash the run-id recorded, or null (a path typed by hand)
 */
record FileRef(String path, String hash) {

    static FileRef parse(String ref) {
        int at = ref.lastIndexOf('@');
        return at > 0 && ref.substring(at + 1).matches("[0-9a-f]{12}")
                ? new FileRef(ref.substring(0, at), ref.substring(at + 1)) : new FileRef(ref, null);
    }

    boolean endsWith(String... suffixes) {
        for (String s : suffixes) if (path.endsWith(s)) return true;
        return false;
    }

    /** The path to read; {@code what} ("model file", "scenario file") names it in the one line of a refusal. */
    Path file(String what) {
        if (path.contains(":")) throw new IllegalArgumentException(what + " " + path + ": a run-id cannot name a path with ':' in it");
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + " " + path + ": is not a path (" + e.getReason() + ")");
        }
    }

    /** {@code path@hash}: what a run-id records of the file whose content has {@code hash}. */
    static String name(String path, String hash) { return path + "@" + hash; }

    /** Refuses the file if the run-id recorded another hash: the file changed since the run was made. */
    void requireHash(String actual, String what) {
        if (hash != null && !hash.equals(actual))
            throw new IllegalArgumentException(what + " " + path + " has changed since the run-id was made (its hash is "
                    + actual + ", the run-id's " + hash + ")");
    }
}
