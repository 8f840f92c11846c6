package ai.wsbcn.cli.eval;

import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;

/** Integer flags with a default and a lower bound; a bad value is a user error naming the flag. */
public final class IntFlag {

    private IntFlag() {}

    public static int get(CommandLine cl, String name, int dflt, int min) {
        String s = cl.getOptionValue(name);
        if (s == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("--" + name + ": expected an integer >= " + min + ", got '" + s + "'");
    }
}
