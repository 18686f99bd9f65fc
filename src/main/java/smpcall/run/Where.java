package smpcall.run;

/**
 * A place in a scenario file: file, line and column (from 1), and the field path
 * ({@code tasks[1].cpu}; empty for the document itself). Errors name it in one line.
 */
record Where(String file, int line, int column, String path) {

    /** {@code file.yaml:12:5: tasks[1].cpu: what}, as an IllegalArgumentException. */
    IllegalArgumentException error(String what) {
        String one = what.replaceAll("[\\r\\n\\t]+", " ").strip();
        return new IllegalArgumentException(file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + one);
    }
}
