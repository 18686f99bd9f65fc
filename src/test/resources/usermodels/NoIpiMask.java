package my.variants;

import smpcall.kernel.SeriesV9;
import smpcall.machine.Cpumask;
import smpcall.machine.Task;

/** series-v9 without the task-local IPI mask: every caller waits on the per-CPU cfd->cpumask. */
public class NoIpiMask extends SeriesV9 {
    @Override
    protected Cpumask smpTaskIpiMask(Task cur) {
        return null;
    }
}
