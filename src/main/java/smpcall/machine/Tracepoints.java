package smpcall.machine;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The TP_printk formats of the machine's own tracepoints (sched, cpuhp), and the printf
 * forms every tracepoint uses ({@code %pS}, {@code %ps}, {@code %p}, {@code %*pb},
 * {@code %*pbl}); the kernel model's own (ipi, csd) are in {@code smpcall.kernel.SmpTracepoints}.
 *
 * <p>Sources (torvalds/linux): {@code include/trace/events/sched.h}
 * (sched_switch, sched_wakeup_template, sched_migrate_task), {@code cpuhp.h}. A cpumask field
 * prints through {@code __get_cpumask}, i.e. {@code %*pb} over whole longs
 * ({@code stage3_trace_output.h}, {@code stage5_get_offsets.h}); {@code bitmap_string} in
 * {@code lib/vsprintf.c} prints 32-bit chunks of zero-padded hex, most significant first.
 * {@code __sprint_symbol} in {@code kernel/kallsyms.c} prints {@code %pS} as
 * {@code "%s+%#lx/%#lx"}; a function pointer is its symbol's start, so it prints {@code +0x0}.
 * {@code %p} prints a hashed value as 16 hex digits, of which the hash keeps the low 32 bits.
 */
public final class Tracepoints {

    private Tracepoints() {
    }

    // ---------------------------------------------------------------- cpumasks

    /** The {@code %*pbl} form: {@code 0-2,5}; an empty mask prints as the empty string. */
    public static String cpumaskList(long mask) {
        StringBuilder sb = new StringBuilder();
        int cpu = 0;
        while (cpu < 64) {
            if ((mask & (1L << cpu)) == 0) {
                cpu++;
                continue;
            }
            int first = cpu;
            while (cpu + 1 < 64 && (mask & (1L << (cpu + 1))) != 0) {
                cpu++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(first);
            if (cpu > first) {
                sb.append('-').append(cpu);
            }
            cpu++;
        }
        return sb.toString();
    }

    /**
     * The {@code %*pb} form that a {@code __cpumask} field prints in. The bit count is nrCpus
     * rounded up to whole 64-bit longs, as the event stores them. The mask is printed as
     * 32-bit chunks of zero-padded lowercase hex, most significant first, separated by commas:
     * {@code 00000000,00000006} for CPUs 1 and 2.
     */
    public static String cpumaskHex(long mask, int nrCpus) {
        if (nrCpus < 1 || nrCpus > 64) {
            throw new IllegalArgumentException("nrCpus must be 1..64: " + nrCpus);
        }
        // ALIGN(nr_cpumask_bits, BITS_PER_LONG) bits, i.e. 64 here: two 32-bit chunks
        return fmt("%08x,%08x", mask >>> 32, mask & 0xffff_ffffL);
    }

    // ---------------------------------------------------------------- symbols and pointers

    /** {@code %pS} of a return address inside {@code name}: {@code name+0xOFF/0xLEN}, stable per name. */
    public static String symbol(String name) {
        int h = fnv1a(name);
        int len = symbolSize(h);
        int off = 4 + 4 * ((h >>> 16) % ((len - 4) / 4));   // 4 .. len-4, a multiple of 4
        return name + "+0x" + Integer.toHexString(off) + "/0x" + Integer.toHexString(len);
    }

    /** {@code %pS} of a function pointer (the symbol's start): {@code name+0x0/0xLEN}. */
    public static String functionSymbol(String name) {
        return name + "+0x0/0x" + Integer.toHexString(symbolSize(fnv1a(name)));
    }

    /** {@code %ps}: just the symbol's name. */
    public static String symbolNoOffset(String name) {
        return name;
    }

    /** {@code %p} with hash-ptr on: the (already hashed) value as 16 zero-padded hex digits. */
    public static String pointer(long hashed) {
        return fmt("%016x", hashed);
    }

    /** String.format with digits that do not depend on the default locale. */
    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Pseudo symbol size: 0x40..0x3f0, a multiple of 0x10. */
    private static int symbolSize(int hash) {
        return (0x40 + (hash & 0xffff) % (0x400 - 0x40)) & ~0xf;
    }

    /** 32-bit FNV-1a over the UTF-8 bytes of s, made non-negative. */
    private static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h & 0x7fff_ffff;
    }

    // ---------------------------------------------------------------- TP_printk field helpers

    /**
     * sched_switch: {@code "prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s
     * next_pid=%d next_prio=%d"}; prevState already holds both %s parts (e.g. "R+", "S").
     */
    public static String schedSwitch(String prevComm, int prevPid, int prevPrio, String prevState,
                                     String nextComm, int nextPid, int nextPrio) {
        return "prev_comm=" + prevComm + " prev_pid=" + prevPid + " prev_prio=" + prevPrio
                + " prev_state=" + prevState + " ==> next_comm=" + nextComm
                + " next_pid=" + nextPid + " next_prio=" + nextPrio;
    }

    /** sched_wakeup: {@code "comm=%s pid=%d prio=%d target_cpu=%03d"}. */
    public static String schedWakeup(String comm, int pid, int prio, int targetCpu) {
        return fmt("comm=%s pid=%d prio=%d target_cpu=%03d", comm, pid, prio, targetCpu);
    }

    /** sched_migrate_task: {@code "comm=%s pid=%d prio=%d orig_cpu=%d dest_cpu=%d"}. */
    public static String schedMigrateTask(String comm, int pid, int prio, int origCpu, int destCpu) {
        return "comm=" + comm + " pid=" + pid + " prio=" + prio
                + " orig_cpu=" + origCpu + " dest_cpu=" + destCpu;
    }

    /** cpuhp_enter: {@code "cpu: %04u target: %3d step: %3d (%ps)"}. */
    public static String cpuhpEnter(int cpu, int target, int step, String callback) {
        return fmt("cpu: %04d target: %3d step: %3d (%s)", cpu, target, step,
                symbolNoOffset(callback));
    }

    /** cpuhp_exit: {@code " cpu: %04u  state: %3d step: %3d ret: %d"} (note the leading blank). */
    public static String cpuhpExit(int cpu, int state, int step, int ret) {
        return fmt(" cpu: %04d  state: %3d step: %3d ret: %d", cpu, state, step, ret);
    }
}
