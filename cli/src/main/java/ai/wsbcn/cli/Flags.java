package ai.wsbcn.cli;

import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Flag parsing shared by the commands; a bad value is a user error naming the flag (exit status 2). */
public final class Flags {

    /** The segmentation and video architectures' baseline, built through {@code ConvNorm}. */
    public static final String DJL_BN = "; or djl-bn (DJL's own Conv2d + BatchNorm)";

    private Flags() {}

    /** {@code --config FILE}, for a command that reads its settings file itself (detection train). */
    public static org.apache.commons.cli.Option configOption() {
        return ConfigFile.option();
    }

    /**
     * The help of a {@code --norm SPEC} flag: its default and the strings it takes, listed as the README and the
     * error for an unknown one list them ({@link NormSpec#VALID}).
     */
    public static String normHelp(String dflt, boolean djlBn) {
        return "normalisation (default " + dflt + "): " + NormSpec.VALID + (djlBn ? DJL_BN : "");
    }

    /**
     * Whether the user chose the engine ({@code --engine}, or {@code WSBCN_ENGINE} through the launcher); commands
     * whose own default is PyTorch use it only then.
     */
    public static boolean engineChosen(CommandLine cl) {
        String env = System.getenv("WSBCN_ENGINE");
        return cl.hasOption("engine") || (env != null && !env.isBlank());
    }

    /**
     * Where progress bars and status lines go: standard error, or nowhere under {@code --quiet}. Results go to
     * standard output and warnings to the log, so neither is affected.
     */
    public static PrintStream console(CommandLine cl) {
        return cl.hasOption("quiet") ? new PrintStream(OutputStream.nullOutputStream()) : System.err;
    }

    /**
     * Where a demo tells its story (data written, training, the evaluation tables): standard output, or nowhere
     * under {@code --quiet}, which leaves a demo's last line, its result.
     */
    public static PrintStream demoLog(CommandLine cl) {
        return cl.hasOption("quiet") ? console(cl) : System.out;
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
