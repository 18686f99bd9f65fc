package smpcall.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

import smpcall.machine.TraceEvent;

/**
 * Prints the machine's trace the way the kernel's tracefs {@code trace} file does with the
 * nop tracer and the default options (irq-info on, record-tgid off, hash-ptr on, 64-bit).
 *
 * <p>Where each piece of text comes from (torvalds/linux):
 * <ul>
 * <li>Header: {@code kernel/trace/trace.c}. {@code s_show} writes the "# tracer:" line and a
 *     bare "#"; {@code print_event_info} writes the entries/entries-written line (with three
 *     spaces before {@code #P:}) and another "#"; {@code print_func_help_header_irq} writes the
 *     legend with its {@code %.*s} padding taken as two blanks, since tgid is off. The
 *     "irqs-off/BH-disabled" wording is the one in use since the BH-off flag was added.</li>
 * <li>Line prefix: {@code kernel/trace/trace_output.c}. {@code trace_print_context} prints
 *     {@code "%16s-%-7d "}, then {@code "[%03d] "}. Next {@code trace_print_lat_fmt} prints five
 *     characters: irqs-off, need-resched, hard/soft irq, the low preempt-count nibble in hex
 *     (or '.'), and the migrate-disable nibble (or '.'). Last, {@code trace_print_time} prints
 *     {@code " %5lu.%06lu"} and the context ends with {@code ": "}.
 *     The microseconds come from {@code ns2usecs()} in trace.c, which adds 500 before dividing
 *     by 1000, so it rounds to the nearest microsecond rather than truncating.</li>
 * <li>{@code "name: "} before the fields: {@code trace_raw_output_prep} in trace_output.c.</li>
 * <li>Fields and the printf forms they use: see {@link smpcall.machine.Tracepoints}.</li>
 * </ul>
 */
public final class Ftrace {

    private Ftrace() {
    }

    // ---------------------------------------------------------------- header and lines

    /** The header block of the {@code trace} file, every line ending in '\n'. */
    public static String header(int entries, int nrCpus) {
        return "# tracer: nop\n"
                + "#\n"
                + "# entries-in-buffer/entries-written: " + entries + "/" + entries + "   #P:" + nrCpus + "\n"
                + "#\n"
                + "#                                _-----=> irqs-off/BH-disabled\n"
                + "#                               / _----=> need-resched\n"
                + "#                              | / _---=> hardirq/softirq\n"
                + "#                              || / _--=> preempt-depth\n"
                + "#                              ||| / _-=> migrate-disable\n"
                + "#                              |||| /     delay\n"
                + "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
                + "#              | |         |   |||||     |         |\n";
    }

    /** One event line, without the trailing newline. */
    public static String line(TraceEvent e) {
        long usecs = (e.timestampNs() + 500) / 1000;   // ns2usecs(): rounds to nearest
        return fmt("%16s-%-7d [%03d] %s %5d.%06d: %s: %s",
                e.comm(), e.pid(), e.cpu(), latFlags(e),
                usecs / 1_000_000, usecs % 1_000_000, e.name(), e.fields());
    }

    /** The five irq-info characters: irqs-off, need-resched, hardirq, preempt depth, migrate-disable. */
    static String latFlags(TraceEvent e) {
        int depth = e.preemptDepth() & 0xf;
        return new StringBuilder(5)
                .append(e.irqsOff() ? 'd' : '.')
                .append(e.needResched() ? 'N' : '.')
                .append(e.hardirq() ? 'h' : '.')
                .append(depth != 0 ? Character.forDigit(depth, 16) : '.')
                .append('.')
                .toString();
    }

    /** Writes the header and then every line, each followed by '\n'. */
    public static void write(List<TraceEvent> events, int nrCpus, Appendable out) {
        try {
            out.append(header(events.size(), nrCpus));
            for (TraceEvent e : events) {
                out.append(line(e)).append('\n');
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** String.format with digits that do not depend on the default locale. */
    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
