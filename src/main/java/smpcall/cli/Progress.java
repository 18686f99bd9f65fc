package smpcall.cli;

/**
 * A one-line progress display on stderr, only when stderr is a terminal, whatever stdout is
 * ({@code ./smpcall verify > out.txt} shows it). Java cannot tell whether stderr alone is a
 * terminal, so the launcher does ({@code [ -t 2 ]}) and says so in {@code smpcall.stderr.terminal}.
 */
final class Progress {
    private final String what;
    private final boolean terminal = Boolean.getBoolean("smpcall.stderr.terminal");
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
