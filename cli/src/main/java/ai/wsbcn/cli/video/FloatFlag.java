package ai.wsbcn.cli.video;

import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;

/** Floating-point flags with a default and a lower bound; a bad value is a user error naming the flag. */
final class FloatFlag {

    private FloatFlag() {}

    static float get(CommandLine cl, String name, float dflt, float min) {
        String s = cl.getOptionValue(name);
        if (s == null) {
            return dflt;
        }
        try {
            float v = Float.parseFloat(s.trim());
            if (v >= min && Float.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("--" + name + ": expected a number >= " + min + ", got '" + s + "'");
    }
}
