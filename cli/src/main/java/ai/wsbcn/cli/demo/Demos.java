package ai.wsbcn.cli.demo;

/** What the demos share in their last line. */
public final class Demos {

    private Demos() {}

    /** "met" or "NOT MET": whether a demo reached its target, said the same way by each. */
    public static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }
}
