package ai.wsbcn.cli;

import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/** Flag parsing shared by the commands; a bad value is a user error naming the flag (exit status 2). */
public final class Flags {

    private Flags() {}

    /**
     * Whether the user chose the engine ({@code --engine}, or {@code WSBCN_ENGINE} through the launcher); commands
     * whose own default is PyTorch use it only then.
     */
    public static boolean engineChosen(CommandLine cl) {
        String env = System.getenv("WSBCN_ENGINE");
        return cl.hasOption("engine") || (env != null && !env.isBlank());
    }

    public static int intFlag(CommandLine cl, String name, int dflt, int min) {
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

    public static float floatFlag(CommandLine cl, String name, float dflt, float minExclusive) {
        String s = cl.getOptionValue(name);
        if (s == null) {
            return dflt;
        }
        try {
            float v = Float.parseFloat(s.trim());
            if (v > minExclusive && Float.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("--" + name + ": expected a number > " + minExclusive + ", got '" + s + "'");
    }

    public static float floatAtLeast(CommandLine cl, String name, float dflt, float min) {
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

    public static int[] intList(CommandLine cl, String name, int[] dflt) {
        String s = cl.getOptionValue(name);
        if (s == null) {
            return dflt;
        }
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--" + name + ": expected comma-separated integers, got '" + s + "'");
            }
            if (out[i] < 1) {
                throw new InvalidInputException("--" + name + ": values must be >= 1, got '" + s + "'");
            }
        }
        return out;
    }

    public static List<String> stringList(CommandLine cl, String name, String dflt) {
        List<String> out = new ArrayList<>();
        for (String p : cl.getOptionValue(name, dflt).split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    public static String required(CommandLine cl, String name) {
        String v = cl.getOptionValue(name);
        if (v == null) {
            throw new InvalidInputException("--" + name + " is required (run with --help for the flags)");
        }
        return v;
    }
}
