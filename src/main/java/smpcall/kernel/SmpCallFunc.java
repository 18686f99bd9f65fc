package smpcall.kernel;

/** smp_call_func_t: a function to run on another CPU, with the name the trace prints. */
public interface SmpCallFunc {
    void call(Object info);

    String name();

    static SmpCallFunc of(String name, java.util.function.Consumer<Object> body) {
        return new SmpCallFunc() {
            @Override public void call(Object info) { body.accept(info); }
            @Override public String name() { return name; }
            @Override public String toString() { return name; }
        };
    }
}
