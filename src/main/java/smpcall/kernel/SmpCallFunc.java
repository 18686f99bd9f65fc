package smpcall.kernel;

/** smp_call_func_t: a function to run on another CPU, with the name the trace prints. */
public interface SmpCallFunc extends smpcall.machine.StateHash.Identified {
    void call(Object info);

    String name();

    /** A function is known by its name. */
    @Override default long stableId() { return name().hashCode(); }

    static SmpCallFunc of(String name, java.util.function.Consumer<Object> body) {
        return new SmpCallFunc() {
            @Override public void call(Object info) { body.accept(info); }
            @Override public String name() { return name; }
            @Override public String toString() { return name; }
        };
    }
}
