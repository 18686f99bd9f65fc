package smpcall.run;

import java.nio.file.Path;


/** For WatchdogTest, in a JVM of its own: loads the model file args[0] and runs run-id args[1] on it. */
public final class WatchdogProbe {
    private WatchdogProbe() {}

    public static void main(String[] args) {
        UserModel m = UserModels.load(Path.of(args[0]));
        RunSpec spec = RunSpec.parse(args[1]);
        Driver.run(m.factory(), Scenarios.get(spec.scenario()), spec.config(), spec.chooser(), false, true);
        System.out.println("the run ended");
    }
}
