package smpcall.cli;

/** A one-line progress display on stderr, only when stderr is a terminal. */
final class Progress {
    private final String what;
    private final boolean terminal = System.console() != null && System.getenv("CI") == null;
    private int width;

    Progress(String what) { this.what = what; }

    synchronized void update(String status) {
        if (!terminal) return;
        String line = what + ": " + status;
        System.err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        System.err.flush();
        width = line.length();
    }

    synchronized void done() {
        if (!terminal || width == 0) return;
        System.err.print("\r" + " ".repeat(width) + "\r");
        System.err.flush();
    }
}
