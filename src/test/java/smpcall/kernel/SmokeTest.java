package smpcall.kernel;

import org.junit.jupiter.api.Test;

import smpcall.machine.RandomChooser;
import smpcall.machine.RunResult;

class SmokeTest {
    @Test
    void sweep() {
        for (String model : Models.names()) {
            for (Scenario s : Scenarios.all()) {
                long t0 = System.nanoTime(), steps = 0;
                java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
                for (int seed = 0; seed < 2000; seed++) {
                    RunResult r = Runs.run(model, s, s.config(), new RandomChooser(seed), false, false);
                    steps += r.steps();
                    String key = r.end() + (r.findings().isEmpty() ? "" : " " + r.findings().get(0).summary());
                    if (!seen.containsKey(key)) System.out.println("  first " + key + " at seed " + seed);
                    seen.merge(key, 1, Integer::sum);
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                System.out.printf("=== %s %s: %s  %.0f steps/s%n", model, s.name(), seen, steps / sec);
            }
        }
    }
}
