package ai.wsbcn.cli.segmentation;

import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/** Flag parsing shared by the segmentation commands; bad values are user errors naming the flag. */
final class Flags {

    private Flags() {}

    static int intFlag(CommandLine cl, String name, int dflt, int min) {
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

    static float floatFlag(CommandLine cl, String name, float dflt, float minExclusive) {
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

    static int[] intList(CommandLine cl, String name, int[] dflt) {
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

    static List<String> stringList(CommandLine cl, String name, String dflt) {
        List<String> out = new ArrayList<>();
        for (String p : cl.getOptionValue(name, dflt).split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    static String required(CommandLine cl, String name) {
        String v = cl.getOptionValue(name);
        if (v == null) {
            throw new InvalidInputException("--" + name + " is required (run with --help for the flags)");
        }
        return v;
    }
}
