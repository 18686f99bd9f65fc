package smpcall.kernel;

import java.util.List;
import java.util.function.Supplier;

import smpcall.machine.Cpumask;
import smpcall.kernel.Property;
import smpcall.machine.RefCell;
import smpcall.machine.Storage;
import smpcall.machine.Tracepoints;
import smpcall.run.Models;
import smpcall.run.UserModels;

/**
 * One-line bugs planted in mainline and series-v9, for the mutation score of the checker:
 * each model is its base with one function overridden and one line of it changed (marked
 * {@code PLANTED}), and names the property a verify cell must break. The reason mutants of
 * the seed's commit message ({@link Reasons}) count too.
 */
final class PlantedBugs {
    private PlantedBugs() {}

    /**
     * A planted bug: the model's name, what is wrong, the property verify must report, and
     * the scenario to try first (the test still runs verify's cells, in verify's order after it).
     */
    record Bug(String model, String description, Property property, String scenario) {}

    private static final List<Supplier<Mainline>> PLANTED = List.of(
            SyncUnlockFirst::new, NoSyncMark::new, SingleLlistAddInverted::new, ManyLlistAddInverted::new,
            NoSingleIpi::new, SingleEarlyPutCpu::new, OnlineCheckInverted::new, AndWithoutOnline::new,
            ThisCpuNotCleared::new, DyingWithoutFlush::new, NoPreemptEnable::new, SingleNoWait::new,
            LocalIrqsOn::new, AsyncUnlockAfterRun::new, EnxioKeepsLock::new, AsyncBusyInverted::new, AnyFirstOfMask::new);

    /** Every planted bug, then the reason mutants; registered with {@link Models} on first use. */
    static final List<Bug> ALL;

    static {
        List<Bug> all = new java.util.ArrayList<>();
        for (Supplier<Mainline> f : PLANTED) {
            Mainline k = f.get();
            Planted p = (Planted) k;
            if (!Models.exists(k.name())) Models.register(k.name(), f);
            all.add(new Bug(k.name(), k.description(), p.breaks(), p.scenario()));
        }
        // The planted bugs written as patches to the shipped sources (test resources planted/).
        for (String[] b : new String[][] {
                {"many-cpu-before-get-cpu", "P8", "same-cpu-callers",
                        "series-v9's smp_call_function_many_cond() reads its CPU with raw_smp_processor_id()"
                                + " before it pins itself, then uses that CPU's cfd_data"}}) {
            String name = "planted-" + b[0];
            if (!Models.exists(name)) Models.register(name, UserModels.load(planted(b[0] + ".patch")).factory());
            all.add(new Bug(name, b[3], Property.valueOf(b[1]), b[2]));
        }
        // The reason mutants, each with its reason's property; the scenario to try first is
        // the smallest that shows it (verify's cells find them in the reasons' scenarios too).
        for (String[] r : new String[][] {
                {"v9-put-before-dispatch", "P8", "same-cpu-callers", ""},
                {"v9-put-before-queue", "P8", "same-cpu-callers",
                        "; its put_cpu() is before the dispatch too, so reason 1's scratch-mask race (P8) comes first"},
                {"v9-lock-nowait", "P4", "same-cpu-callers", ""},
                {"v9-percpu-waitmask", "P9", "same-cpu-callers", ""},
                {"v9-free-csd-on-dead", "P5", "migrate-offline", ""}}) {
            all.add(new Bug(r[0], Models.create(r[0]).description() + r[3], Property.valueOf(r[1]), r[2]));
        }
        ALL = List.copyOf(all);
    }

    /** A planted bug's patch from the test resources, as a file (a model file is read from a path). */
    private static java.nio.file.Path planted(String file) {
        try (java.io.InputStream in = PlantedBugs.class.getResourceAsStream("/planted/" + file)) {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("smpcall-planted");
            java.nio.file.Path p = dir.resolve(file);
            java.nio.file.Files.write(p, in.readAllBytes());
            p.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What a planted model says about itself. */
    interface Planted {
        Property breaks();

        String scenario();
    }

    // ========================================================================== the IPI handler

    /** The first bug: a SYNC CSD unlocked before its function runs. */
    static final class SyncUnlockFirst extends SeriesV9 implements Planted {
        @Override public String name() { return "planted-sync-unlock-first"; }
        @Override public String description() { return "__flush_smp_call_function_queue() unlocks a SYNC CSD before it runs the function: the waiter returns too early"; }
        @Override public Property breaks() { return Property.P1; }
        @Override public String scenario() { return "preempt-waiter"; }

        @Override
        protected void __flushSmpCallFunctionQueue(boolean warnCpuOffline) {
            int cpu = m.smpProcessorId();
            triggerBacktrace.on(cpu).storeRelease(1);
            RefCell<Csd> head = callSingleQueue.on(cpu);
            Csd entry = Llist.llistDelAll(head);
            entry = Llist.llistReverseOrder(entry);
            if (warnCpuOffline && !m.cpuOnline(cpu) && entry != null && m.once("__flush_smp_call_function_queue:warned")) {
                m.warn(Property.P3, SMP_C, 516, "__flush_smp_call_function_queue", List.of("IPI on offline CPU " + cpu), List.of());
            }
            Csd prev = null;
            for (Csd csd = entry, csdNext; csd != null; csd = csdNext) {
                csdNext = csd.next.get();
                if (Csd.type(csd.flags.get()) == Csd.CSD_TYPE_SYNC) {
                    SmpCallFunc func = csd.func.get();
                    Object info = csd.info.get();
                    if (prev != null) prev.next.set(csdNext);
                    else entry = csdNext;
                    csdLockRecord(csd);
                    csdUnlock(csd);                 // PLANTED: unlocked before csd_do_func(), not after
                    csdDoFunc(func, info, csd);
                    csdLockRecord(null);
                } else {
                    prev = csd;
                }
            }
            if (entry == null) return;
            for (Csd csd = entry, csdNext; csd != null; csd = csdNext) {
                csdNext = csd.next.get();
                SmpCallFunc func = csd.func.get();
                Object info = csd.info.get();
                csdLockRecord(csd);
                csdUnlock(csd);
                csdDoFunc(func, info, csd);
                csdLockRecord(null);
            }
        }
    }

    /** An ASYNC CSD unlocked after its function ran, as a SYNC one is: the function may have freed it. */
    static final class AsyncUnlockAfterRun extends Mainline implements Planted {
        @Override public String name() { return "planted-async-unlock-after-run"; }
        @Override public String description() { return "__flush_smp_call_function_queue() unlocks an ASYNC CSD after its function, not before: a function that frees its CSD is followed by a write to it"; }
        @Override public Property breaks() { return Property.P5; }
        @Override public String scenario() { return "async-free"; }

        @Override
        protected void __flushSmpCallFunctionQueue(boolean warnCpuOffline) {
            int cpu = m.smpProcessorId();
            triggerBacktrace.on(cpu).storeRelease(1);
            RefCell<Csd> head = callSingleQueue.on(cpu);
            Csd entry = Llist.llistDelAll(head);
            entry = Llist.llistReverseOrder(entry);
            if (warnCpuOffline && !m.cpuOnline(cpu) && entry != null && m.once("__flush_smp_call_function_queue:warned")) {
                m.warn(Property.P3, SMP_C, 516, "__flush_smp_call_function_queue", List.of("IPI on offline CPU " + cpu), List.of());
            }
            Csd prev = null;
            for (Csd csd = entry, csdNext; csd != null; csd = csdNext) {
                csdNext = csd.next.get();
                if (Csd.type(csd.flags.get()) == Csd.CSD_TYPE_SYNC) {
                    SmpCallFunc func = csd.func.get();
                    Object info = csd.info.get();
                    if (prev != null) prev.next.set(csdNext);
                    else entry = csdNext;
                    csdLockRecord(csd);
                    csdDoFunc(func, info, csd);
                    csdUnlock(csd);
                    csdLockRecord(null);
                } else {
                    prev = csd;
                }
            }
            if (entry == null) return;
            for (Csd csd = entry, csdNext; csd != null; csd = csdNext) {
                csdNext = csd.next.get();
                SmpCallFunc func = csd.func.get();
                Object info = csd.info.get();
                csdLockRecord(csd);
                csdDoFunc(func, info, csd);
                csdUnlock(csd);                     // PLANTED: after csd_do_func(), not before
                csdLockRecord(null);
            }
        }
    }

    /** A waiting call's CPU going offline: the dying CPU does not flush its queue. */
    static final class DyingWithoutFlush extends SeriesV9 implements Planted {
        @Override public String name() { return "planted-dying-without-flush"; }
        @Override public String description() { return "smpcfd_dying_cpu() does not flush the queue: a CSD whose IPI came too late stays on the dead CPU"; }
        @Override public Property breaks() { return Property.P3; }
        @Override public String scenario() { return "hotplug-target"; }

        @Override
        public int smpcfdDyingCpu(int cpu) {
            // PLANTED: no __flush_smp_call_function_queue(false) here
            return 0;
        }
    }

    // ========================================================================== queueing

    /** The single-target enqueue sends its IPI only when the list was not empty. */
    static final class SingleLlistAddInverted extends Mainline implements Planted {
        @Override public String name() { return "planted-single-llist-add-inverted"; }
        @Override public String description() { return "__smp_call_single_queue() sends the IPI when llist_add() found the list non-empty, not empty"; }
        @Override public Property breaks() { return Property.P2; }
        @Override public String scenario() { return "single-async"; }

        @Override
        protected void __smpCallSingleQueue(int cpu, Csd csd, String callsite) {
            if (m.tracing()) m.trace("csd_queue_cpu", SmpTracepoints.csdQueueCpu(cpu, callsite, csd.func.peek().name(), csd.addr()));
            ghost.queued(csd, cpu);
            if (!Llist.llistAdd(csd, callSingleQueue.on(cpu)))     // PLANTED: the result inverted
                sendCallFunctionSingleIpi(cpu, callsite);
        }
    }

    /** generic_exec_single() refuses the online CPUs and would queue to the offline ones. */
    static final class OnlineCheckInverted extends Mainline implements Planted {
        @Override public String name() { return "planted-online-check-inverted"; }
        @Override public String description() { return "generic_exec_single() tests cpu_online() instead of !cpu_online(): a call to an online CPU is -ENXIO and never runs"; }
        @Override public Property breaks() { return Property.P1; }
        @Override public String scenario() { return "single-async"; }

        @Override
        protected int genericExecSingle(int cpu, Csd csd) {
            if (cpu == m.smpProcessorId()) {
                SmpCallFunc func = csd.func.get();
                Object info = csd.info.get();
                csdLockRecord(csd);
                csdUnlock(csd);
                boolean flags = m.localIrqSave();
                ghost.runsLocally(csd, cpu);
                csdDoFunc(func, info, null);
                csdLockRecord(null);
                m.localIrqRestore(flags);
                return 0;
            }
            if (cpu < 0 || cpu >= m.nrCpuIds() || m.cpuOnline(cpu)) {     // PLANTED: cpu_online(), not !cpu_online()
                csdUnlock(csd);
                return -ENXIO;
            }
            __smpCallSingleQueue(cpu, csd, "generic_exec_single");
            return 0;
        }
    }

    /** generic_exec_single() forgets the csd_unlock() of its -ENXIO path: a non-waiting call leaves its per-CPU CSD locked. */
    static final class EnxioKeepsLock extends Mainline implements Planted {
        @Override public String name() { return "planted-enxio-keeps-lock"; }
        @Override public String description() { return "generic_exec_single() returns -ENXIO without csd_unlock(): the per-CPU csd_data stays locked and the next call hangs"; }
        @Override public Property breaks() { return Property.P2; }
        @Override public String scenario() { return "any-offline"; }

        @Override
        protected int genericExecSingle(int cpu, Csd csd) {
            if (cpu == m.smpProcessorId()) {
                SmpCallFunc func = csd.func.get();
                Object info = csd.info.get();
                csdLockRecord(csd);
                csdUnlock(csd);
                boolean flags = m.localIrqSave();
                ghost.runsLocally(csd, cpu);
                csdDoFunc(func, info, null);
                csdLockRecord(null);
                m.localIrqRestore(flags);
                return 0;
            }
            if (cpu < 0 || cpu >= m.nrCpuIds() || !m.cpuOnline(cpu)) {
                // PLANTED: no csd_unlock(csd) here
                return -ENXIO;
            }
            __smpCallSingleQueue(cpu, csd, "generic_exec_single");
            return 0;
        }
    }

    /** smp_call_function_single_async() tests the lock the wrong way round. */
    static final class AsyncBusyInverted extends Mainline implements Planted {
        @Override public String name() { return "planted-async-busy-inverted"; }
        @Override public String description() { return "smp_call_function_single_async() returns -EBUSY when the CSD is free and queues it again while it is in flight"; }
        @Override public Property breaks() { return Property.P1; }
        @Override public String scenario() { return "single-async"; }

        @Override
        public int smpCallFunctionSingleAsync(int cpu, Csd csd) {
            int err;
            m.preemptDisable();
            Ghost.Async async = ghost.asyncBegins(csd);
            if ((csd.flags.get() & Csd.CSD_FLAG_LOCK) == 0) {     // PLANTED: == 0, not != 0
                err = -EBUSY;
            } else {
                csd.flags.set(Csd.CSD_FLAG_LOCK);
                ghost.asyncTakes(async);
                Ghost.Call call = ghost.singleCall(csd.func.peek(), false, cpu);
                ghost.owns(csd, call);
                err = genericExecSingle(cpu, csd);
                ghost.callReturns(call, err);
            }
            m.preemptEnable();
            ghost.asyncReturns(async, err);
            return err;
        }
    }

    /** smp_call_function_any() takes the first CPU of its mask, online or not. */
    static final class AnyFirstOfMask extends SeriesV9 implements Planted {
        @Override public String name() { return "planted-any-first-of-mask"; }
        @Override public String description() { return "sched_numa_find_nth_cpu() returns the first CPU of the mask, not the first online one: _any() is -ENXIO with online CPUs in its mask"; }
        @Override public Property breaks() { return Property.P1; }
        @Override public String scenario() { return "any-offline"; }

        @Override
        protected int schedNumaFindNthCpu(Cpumask mask) {
            long bits = mask.bits();                               // PLANTED: not "& cpu_online_mask"
            return bits == 0 ? m.nrCpuIds() : Long.numberOfTrailingZeros(bits);
        }
    }

    /** The second bug: a waiting call's CSDs are not marked SYNC, so they are unlocked before they run. */
    static final class NoSyncMark extends SeriesV9 implements Planted {
        @Override public String name() { return "planted-no-sync-mark"; }
        @Override public String description() { return "smp_call_function_many_cond() does not mark a waiting call's CSDs SYNC: the handler unlocks them before it runs them"; }
        @Override public Property breaks() { return Property.P1; }
        @Override public String scenario() { return "same-cpu-callers"; }

        @Override
        protected Queued smpCallFunctionManyQueue(CallFunctionData cfd, Cpumask cpumask, Cpumask ipi, SmpCallFunc func,
                                                  Object info, boolean wait, SmpCondFunc condFunc, int thisCpu, Ghost.Call call) {
            boolean runRemote = false;
            int nrCpus = 0;
            int lastCpu = -1;
            for (long todo = cpumask.bits(); todo != 0; todo &= todo - 1) {
                int cpu = Long.numberOfTrailingZeros(todo);
                Csd csd = cfd.csd.get().on(cpu);
                if (condFunc != null && !condFunc.test(cpu, info)) {
                    cpumask.__clearCpu(cpu);
                    continue;
                }
                runRemote = true;
                csdLock(csd);
                // PLANTED: no "if (wait) csd->node.u_flags |= CSD_TYPE_SYNC;"
                csd.func.set(func);
                csd.info.set(info);
                if (SmpParams.csdlockDebug(config)) {
                    csd.src.set(thisCpu);
                    csd.dst.set(cpu);
                }
                ghost.owns(csd, call);
                ghost.queued(csd, cpu);
                if (Llist.llistAdd(csd, callSingleQueue.on(cpu))) {
                    ipi.__setCpu(cpu);
                    nrCpus++;
                    lastCpu = cpu;
                }
            }
            return new Queued(runRemote, nrCpus, lastCpu);
        }
    }

    /** The many-target enqueue notes a CPU for the IPI only when its list was not empty. */
    static final class ManyLlistAddInverted extends SeriesV9 implements Planted {
        @Override public String name() { return "planted-many-llist-add-inverted"; }
        @Override public String description() { return "smp_call_function_many_cond() kicks a CPU when llist_add() found its list non-empty, not empty"; }
        @Override public Property breaks() { return Property.P2; }
        @Override public String scenario() { return "same-cpu-callers"; }

        @Override
        protected Queued smpCallFunctionManyQueue(CallFunctionData cfd, Cpumask cpumask, Cpumask ipi, SmpCallFunc func,
                                                  Object info, boolean wait, SmpCondFunc condFunc, int thisCpu, Ghost.Call call) {
            boolean runRemote = false;
            int nrCpus = 0;
            int lastCpu = -1;
            for (long todo = cpumask.bits(); todo != 0; todo &= todo - 1) {
                int cpu = Long.numberOfTrailingZeros(todo);
                Csd csd = cfd.csd.get().on(cpu);
                if (condFunc != null && !condFunc.test(cpu, info)) {
                    cpumask.__clearCpu(cpu);
                    continue;
                }
                runRemote = true;
                csdLock(csd);
                if (wait) csd.flags.set(csd.flags.get() | Csd.CSD_TYPE_SYNC);
                csd.func.set(func);
                csd.info.set(info);
                if (SmpParams.csdlockDebug(config)) {
                    csd.src.set(thisCpu);
                    csd.dst.set(cpu);
                }
                ghost.owns(csd, call);
                ghost.queued(csd, cpu);
                if (!Llist.llistAdd(csd, callSingleQueue.on(cpu))) {     // PLANTED: the result inverted
                    ipi.__setCpu(cpu);
                    nrCpus++;
                    lastCpu = cpu;
                }
            }
            return new Queued(runRemote, nrCpus, lastCpu);
        }
    }

    // ========================================================================== smp_call_function_many_cond()

    /**
     * Mainline's smp_call_function_many_cond() with one of its lines changed: the planted
     * models below say which ({@link #line}); the changed lines say PLANTED.
     */
    abstract static class ManyCondBug extends Mainline implements Planted {
        enum Line { AND_WITHOUT_ONLINE, THIS_CPU_NOT_CLEARED, NO_SINGLE_IPI, LOCAL_IRQS_ON }

        abstract Line line();

        @Override
        protected void smpCallFunctionManyCond(Cpumask mask, SmpCallFunc func, Object info, int scfFlags, SmpCondFunc condFunc) {
            long mark = m.historyMark();
            int thisCpu = m.smpProcessorId();
            boolean wait = (scfFlags & SCF_WAIT) != 0;
            boolean runRemote = false;
            CallFunctionData cfd = null;
            Cpumask cpumask = null;

            Ghost.Call call = ghost.callBegin(func, wait, ghost.manyTargets(mask, (scfFlags & SCF_RUN_LOCAL) != 0, condFunc));
            lockdepAssertPreemptionDisabled();
            if (m.cpuOnline(thisCpu) && m.irqsDisabled() && m.once("many:irqs"))
                m.warn(Property.P7, SMP_C, 816, "smp_call_function_many_cond", List.of(), List.of());
            if (!m.inTask() && m.once("many:in_task"))
                m.warn(Property.P7, SMP_C, 824, "smp_call_function_many_cond", List.of(), List.of());

            if (cpumaskAnyAndBut(mask, thisCpu)) {
                cfd = m.thisCpuPtr(cfdData);
                cpumask = cfd.cpumask.get();
                if (line() == Line.AND_WITHOUT_ONLINE) cpumask.assign(mask.bits());     // PLANTED: cpumask_copy(), not cpumask_and()
                else cpumask.assign(mask.bits() & m.cpuOnlineMask().bits());
                if (line() != Line.THIS_CPU_NOT_CLEARED) cpumask.__clearCpu(thisCpu);  // PLANTED: (THIS_CPU_NOT_CLEARED) this CPU stays
                ghost.waitMaskBegin(cpumask);
                Cpumask ipi = cfd.cpumaskIpi.get();
                ipi.clear();
                ghost.scratchBegin(ipi);
                Queued q = smpCallFunctionManyQueue(cfd, cpumask, ipi, func, info, wait, condFunc, thisCpu, call);
                runRemote = q.runRemote();
                if (q.nrCpus() == 1) {
                    if (line() != Line.NO_SINGLE_IPI) sendCallFunctionSingleIpi(q.lastCpu(), "smp_call_function_many_cond");  // PLANTED: (NO_SINGLE_IPI) dropped
                } else if (q.nrCpus() > 1) sendCallFunctionIpiMask(ipi, "smp_call_function_many_cond");
                ghost.scratchEnd(ipi);
            }

            if ((scfFlags & SCF_RUN_LOCAL) != 0 && mask.testCpu(thisCpu) && (condFunc == null || condFunc.test(thisCpu, info))) {
                boolean flags = line() == Line.LOCAL_IRQS_ON ? m.irqsDisabled() : m.localIrqSave();    // PLANTED: (LOCAL_IRQS_ON) no local_irq_save()
                ghost.runsLocally(call, thisCpu);
                csdDoFunc(func, info, null);
                m.localIrqRestore(flags);
            }

            if (runRemote && wait) smpCallFunctionManyWait(cfd, cpumask, thisCpu, mark);
            if (cpumask != null) ghost.waitMaskEnd(cpumask);
            ghost.callReturns(call);
            m.historyRewind(mark, RETURNED);
        }
    }

    static final class AndWithoutOnline extends ManyCondBug {
        @Override Line line() { return Line.AND_WITHOUT_ONLINE; }
        @Override public String name() { return "planted-and-without-online"; }
        @Override public String description() { return "smp_call_function_many_cond() copies the mask without and-ing cpu_online_mask: it queues to offline CPUs"; }
        @Override public Property breaks() { return Property.P3; }
        @Override public String scenario() { return "hotplug-target"; }
    }

    static final class ThisCpuNotCleared extends ManyCondBug {
        @Override Line line() { return Line.THIS_CPU_NOT_CLEARED; }
        @Override public String name() { return "planted-this-cpu-not-cleared"; }
        @Override public String description() { return "smp_call_function_many_cond() leaves this CPU in cfd->cpumask: it queues to itself and runs the function twice here"; }
        @Override public Property breaks() { return Property.P1; }
        @Override public String scenario() { return "self-calls"; }
    }

    static final class NoSingleIpi extends ManyCondBug {
        @Override Line line() { return Line.NO_SINGLE_IPI; }
        @Override public String name() { return "planted-no-single-ipi"; }
        @Override public String description() { return "smp_call_function_many_cond() sends no IPI when exactly one CPU needs one"; }
        @Override public Property breaks() { return Property.P2; }
        @Override public String scenario() { return "same-cpu-callers"; }
    }

    static final class LocalIrqsOn extends ManyCondBug {
        @Override Line line() { return Line.LOCAL_IRQS_ON; }
        @Override public String name() { return "planted-local-irqs-on"; }
        @Override public String description() { return "smp_call_function_many_cond() runs the local function without local_irq_save()"; }
        @Override public Property breaks() { return Property.P1; }
        @Override public String scenario() { return "self-calls"; }
    }

    // ========================================================================== the single-target API and wrappers

    /** series-v9's single-target helper ends its pinned section before the dispatch, not after. */
    static final class SingleEarlyPutCpu extends SeriesV9 implements Planted {
        @Override public String name() { return "planted-single-early-put-cpu"; }
        @Override public String description() { return "__smp_call_function_single() calls put_cpu() before generic_exec_single(), not after"; }
        @Override public Property breaks() { return Property.P6; }
        @Override public String scenario() { return "self-calls"; }

        @Override
        protected int __smpCallFunctionSingle(int cpu, SmpCallFunc func, Object info, Cpumask mask, boolean wait) {
            Storage frame = m.stackFrame("__smp_call_function_single:csd_stack");
            Csd csdStack = new Csd(m, frame, "csd_stack", -1, frame.addr(), Csd.CSD_FLAG_LOCK | Csd.CSD_TYPE_SYNC);
            int thisCpu = m.getCpu();
            if (mask != null) cpu = mask.testCpu(thisCpu) ? thisCpu : schedNumaFindNthCpu(mask);
            if (m.cpuOnline(thisCpu) && m.irqsDisabled() && m.once("single:irqs"))
                m.warn(Property.P7, SMP_C, 675, "__smp_call_function_single", List.of(), List.of());
            if (!m.inTask() && m.once("single:in_task"))
                m.warn(Property.P7, SMP_C, 684, "__smp_call_function_single", List.of(), List.of());
            Csd csd = csdStack;
            if (!wait) {
                csd = m.thisCpuPtr(csdData);
                csdLock(csd);
            }
            csd.func.set(func);
            csd.info.set(info);
            if (SmpParams.csdlockDebug(config)) {
                csd.src.set(thisCpu);
                csd.dst.set(cpu);
            }
            Ghost.Call call = ghost.singleCall(func, wait, cpu);
            ghost.owns(csd, call);
            m.putCpu();                                 // PLANTED: before generic_exec_single(), not after
            int err = genericExecSingle(cpu, csd);
            if (wait) csdLockWait(csd);
            ghost.callReturns(call, err);
            m.popStack(frame);
            return err;
        }
    }

    /** smp_call_function_single(wait) does not wait. */
    static final class SingleNoWait extends Mainline implements Planted {
        @Override public String name() { return "planted-single-no-wait"; }
        @Override public String description() { return "smp_call_function_single() returns without csd_lock_wait() on a waiting call"; }
        @Override public Property breaks() { return Property.P1; }
        @Override public String scenario() { return "single-async"; }

        @Override
        public int smpCallFunctionSingle(int cpu, SmpCallFunc func, Object info, boolean wait) {
            Storage frame = m.stackFrame("smp_call_function_single:csd_stack");
            Csd csdStack = new Csd(m, frame, "csd_stack", -1, frame.addr(), Csd.CSD_FLAG_LOCK | Csd.CSD_TYPE_SYNC);
            int thisCpu = m.getCpu();
            if (m.cpuOnline(thisCpu) && m.irqsDisabled() && m.once("single:irqs"))
                m.warn(Property.P7, SMP_C, 675, "smp_call_function_single", List.of(), List.of());
            if (!m.inTask() && m.once("single:in_task"))
                m.warn(Property.P7, SMP_C, 684, "smp_call_function_single", List.of(), List.of());
            Csd csd = csdStack;
            if (!wait) {
                csd = m.thisCpuPtr(csdData);
                csdLock(csd);
            }
            csd.func.set(func);
            csd.info.set(info);
            if (SmpParams.csdlockDebug(config)) {
                csd.src.set(thisCpu);
                csd.dst.set(cpu);
            }
            Ghost.Call call = ghost.singleCall(func, wait, cpu);
            ghost.owns(csd, call);
            int err = genericExecSingle(cpu, csd);
            // PLANTED: no "if (wait) csd_lock_wait(csd);"
            ghost.callReturns(call, err);
            m.putCpu();
            m.popStack(frame);
            return err;
        }
    }

    /** on_each_cpu_cond_mask() forgets its preempt_enable(). */
    static final class NoPreemptEnable extends Mainline implements Planted {
        @Override public String name() { return "planted-no-preempt-enable"; }
        @Override public String description() { return "on_each_cpu_cond_mask() returns without preempt_enable()"; }
        @Override public Property breaks() { return Property.P6; }
        @Override public String scenario() { return "same-cpu-callers"; }

        @Override
        public void onEachCpuCondMask(SmpCondFunc condFunc, SmpCallFunc func, Object info, boolean wait, Cpumask mask) {
            int scfFlags = SCF_RUN_LOCAL;
            if (wait) scfFlags |= SCF_WAIT;
            m.preemptDisable();
            smpCallFunctionManyCond(mask, func, info, scfFlags, condFunc);
            // PLANTED: no preempt_enable()
        }
    }

}
