package ai.wsbcn.cli;

import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line's shape, the same for every sub-command: global flags put after its words, and the checks made
 * before it runs.
 */
final class CommandLineChecks {

    private CommandLineChecks() {}

    /** A single-value flag given twice: which one was meant is not ours to guess. */
    static void refuseRepeatedFlags(CommandLine cl) {
        Set<String> seen = new HashSet<>();
        for (Option o : cl.getOptions()) {
            String name = o.getLongOpt() != null ? o.getLongOpt() : o.getOpt();
            if (!o.hasArgs() && !seen.add(name)) {
                throw new InvalidInputException("--" + name + ": given more than once");
            }
        }
    }

    /**
     * A flag that takes a file ({@code FILE}, {@code OUT.json}, {@code SPLIT.txt}) given a folder: said before any
     * work, where an evaluation would otherwise run to its end and fail writing its results.
     */
    static void refuseFoldersForFiles(CommandLine cl) {
        for (Option o : cl.getOptions()) {
            String arg = o.getArgName();
            if (!o.hasArg() || arg == null || !(arg.equals("FILE") || arg.matches("[A-Z_]+\\.(json|txt|csv|ya?ml)"))) {
                continue;
            }
            for (String v : o.getValues()) {
                if (v != null && !v.equals("-") && Files.isDirectory(Path.of(v))) {
                    throw new InvalidInputException("--" + o.getLongOpt() + ": " + v + " is a folder; a file is"
                            + " expected");
                }
            }
        }
    }

    /** {@code args} with every flag spelt the old way ({@link Command#oldSpellings()}) spelt the current way. */
    static String[] currentSpellings(String[] args, Map<String, String> old) {
        if (old.isEmpty()) {
            return args;
        }
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (!out[i].startsWith("--")) {
                continue;
            }
            int eq = out[i].indexOf('=');
            String name = out[i].substring(2, eq < 0 ? out[i].length() : eq);
            if (old.containsKey(name)) {
                out[i] = "--" + old.get(name) + (eq < 0 ? "" : out[i].substring(eq));
            }
        }
        return out;
    }

    /** The long names of the flags given. */
    static Set<String> longOptions(CommandLine cl) {
        Set<String> names = new HashSet<>();
        for (Option o : cl.getOptions()) {
            if (o.getLongOpt() != null) {
                names.add(o.getLongOpt());
            }
        }
        return names;
    }

    /**
     * The global flags given before the sub-command's words ({@code wsbcn --engine pytorch version}) moved after
     * them, where the sub-command's parser takes them; anything else before the words is left for the usual error.
     */
    static String[] globalFlagsLast(String[] args) {
        List<String> leading = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--engine") && i + 1 < args.length) {
                leading.add(a);
                leading.add(args[i + 1]);
                i += 2;
            } else if (a.startsWith("--engine=") || a.equals("--verbose") || a.equals("--quiet")) {
                leading.add(a);
                i++;
            } else {
                break;
            }
        }
        if (leading.isEmpty()) {
            return args;
        }
        List<String> out = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
        out.addAll(leading);
        return out.toArray(new String[0]);
    }
}
