package smpcall.machine;

import java.util.ArrayList;
import java.util.List;

/**
 * Something a run found, in the kernel's words: the property it violates, the kernel text
 * (the headline, e.g. {@code BUG: KASAN: slab-use-after-free in csd_lock_wait+0x2c/0x90},
 * the lines a WARN prints before it, and the lines the kernel prints after it), and where:
 * step, CPU, task, virtual time.
 */
public record Finding(Finding.Tag property, List<String> preface, String headline, List<String> details,
                      long step, int cpu, String comm, int pid, long timestampNs) {

    /** What a finding is of: a property of the model, or one of the machine's own checks. */
    public interface Tag {
        String name();

        String text();
    }

    public Finding {
        preface = List.copyOf(preface);
        details = List.copyOf(details);
    }

    /** The finding as the kernel log shows it, one line per element. */
    public List<String> kernelLog() {
        var lines = new ArrayList<String>();
        boolean warning = headline.startsWith("WARNING:");
        if (warning) lines.add("------------[ cut here ]------------");
        lines.addAll(preface);
        lines.add(headline);
        lines.addAll(details);
        if (warning) lines.add("---[ end trace 0000000000000000 ]---");
        return lines;
    }

    /** One line for summaries: the property, then the message or headline. */
    public String summary() {
        boolean warning = headline.startsWith("WARNING:") && !preface.isEmpty();
        return property.name() + " " + (warning ? preface.get(0) + " (" + headline + ")" : headline);
    }
}
