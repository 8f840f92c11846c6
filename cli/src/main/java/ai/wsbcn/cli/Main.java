package ai.wsbcn.cli;

import ai.wsbcn.norm.InvalidNormException;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Entry point of {@code ./wsbcn}. Picks the sub-command by the longest matching run of leading words
 * ({@code wsbcn eval coco ...}), applies the global flags, and turns user errors into one clear line and exit status 2.
 */
public final class Main {

    static final int EXIT_USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (tests call this instead of {@link #main}). */
    public static int run(String[] args) {
        args = CommandLineChecks.globalFlagsLast(args);
        List<Command> commands = Commands.all();
        Command command = null;
        int used = 0;
        for (Command c : commands) {
            String[] words = c.path().split(" ");
            if (words.length > used && startsWith(args, words)) {
                command = c;
                used = words.length;
            }
        }
        if (command == null) {
            boolean asked = args.length == 0 || isHelp(args[0]);
            if (!asked) {
                String words = String.join(" ", prefixWords(args));
                boolean group = !words.isEmpty() && commands.stream().anyMatch(c -> c.path().startsWith(words + " "));
                System.err.println(group ? "wsbcn " + words + ": which one? (a sub-command is missing)"
                        : "wsbcn: unknown command '" + words + "'");
            }
            printCommandList(commands, prefixWords(args), asked ? System.out : System.err);
            return asked ? 0 : EXIT_USAGE;
        }
        String[] rest = CommandLineChecks.currentSpellings(Arrays.copyOfRange(args, used, args.length),
                command.oldSpellings());
        Options own = command.options();
        if (command.acceptsConfigFile()) {
            own.addOption(ConfigFile.option()); // with the command's flags, before the global ones in the help
        }
        Options options = withGlobalOptions(own, command.defaultEngine());
        boolean verbose = Arrays.asList(rest).contains("--verbose");
        ConfigFile.Recorded recorded = null;
        Path settings = null;
        Set<String> given = Set.of();
        try {
            // the launcher's WSBCN_ENGINE arrives as DJL's default-engine property: checked like --engine
            applyEngine(System.getProperty("ai.djl.default_engine"), "WSBCN_ENGINE");
            CommandLine cl = new DefaultParser().parse(options, rest);
            given = CommandLineChecks.longOptions(cl);
            CommandLineChecks.refuseRepeatedFlags(cl);
            CommandLineChecks.refuseFoldersForFiles(cl);
            if (cl.hasOption("help")) {
                printHelp(command, options);
                return 0;
            }
            if (command.acceptsConfigFile()) {
                settings = ConfigFile.source(cl);
                if (settings != null) {
                    cl = new DefaultParser().parse(options,
                            ConfigFile.merge(options, cl, rest, settings, command.path(),
                            command.oldSpellings()));
                }
                recorded = ConfigFile.record(cl);
            }
            applyEngine(cl.getOptionValue("engine"), "--engine");
            return command.run(cl);
        } catch (ParseException e) {
            System.err.println("wsbcn " + command.path() + ": " + e.getMessage());
            System.err.println("run 'wsbcn " + command.path() + " --help' for the flags");
            return EXIT_USAGE;
        } catch (Exception | Error e) {
            String inputError = inputError(e);
            if (inputError != null) {
                undo(recorded);
                System.err.println("wsbcn " + command.path() + ": " + inputError
                        + ConfigFile.origin(inputError, settings, given));
                if (verbose) {
                    e.printStackTrace();
                }
                return EXIT_USAGE;
            }
            System.err.println("wsbcn " + command.path() + " failed: " + describe(e));
            if (verbose) {
                e.printStackTrace();
            } else {
                System.err.println("(run again with --verbose for the stack trace)");
            }
            return 1;
        }
    }

    /**
     * The message of the bad input behind {@code e}, or null: an {@link InvalidInputException}, or an
     * {@link InvalidNormException} (a norm string, or a group count that does not divide a layer's channels, found
     * while the model is built) reported as {@code --norm}'s. Either may arrive wrapped (a loader thread's failure,
     * say), so the causes are searched.
     */
    static String inputError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidInputException) {
                return t.getMessage();
            }
            if (t instanceof InvalidNormException) {
                return "--norm: " + t.getMessage();
            }
            if (t instanceof java.nio.file.FileSystemException fs) {
                // an output path that is a file, a folder where a file goes, no permission: the user's to fix
                String reason = fs.getReason() != null ? fs.getReason()
                        : fs instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way"
                        : fs instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : fs instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                        : fs.getClass().getSimpleName();
                return fs.getFile() + ": " + reason;
            }
        }
        return null;
    }

    private static void undo(ConfigFile.Recorded recorded) {
        if (recorded != null) {
            try {
                recorded.undo();
            } catch (java.io.IOException e) {
                System.err.println("wsbcn: could not restore " + recorded.file() + " (" + e.getMessage() + ")");
            }
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" (caused by: ").append(c.getMessage()).append(')');
        }
        return e.getClass().getSimpleName() + ": " + sb;
    }

    private static void applyEngine(String engine, String source) {
        if (engine == null) {
            return;
        }
        String name;
        switch (engine.toLowerCase(Locale.ROOT)) {
            case "mxnet":
                name = "MXNet";
                break;
            case "pytorch":
            case "pt":
                name = "PyTorch";
                break;
            default:
                throw new InvalidInputException(source + ": unknown engine '" + engine + "' (use mxnet or pytorch)");
        }
        // must happen before anything touches ai.djl.engine.Engine
        System.setProperty("ai.djl.default_engine", name);
    }

    private static Options withGlobalOptions(Options own, String defaultEngine) {
        Options o = new Options();
        own.getOptions().forEach(o::addOption);
        o.addOption(Option.builder().longOpt("engine").hasArg().argName("mxnet|pytorch")
                .desc("DJL engine (default " + defaultEngine + ")").build());
        o.addOption(Option.builder().longOpt("verbose").desc("print stack traces of failures").build());
        o.addOption(Option.builder().longOpt("quiet").desc("no progress or status lines (standard error); results,"
                + " warnings and errors still print").build());
        o.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        return o;
    }

    private static boolean startsWith(String[] args, String[] words) {
        if (args.length < words.length) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            if (!words[i].equals(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHelp(String s) {
        return s.equals("--help") || s.equals("-h") || s.equals("help");
    }

    private static List<String> prefixWords(String[] args) {
        List<String> words = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-")) {
                break;
            }
            words.add(a);
        }
        return words;
    }

    private static void printCommandList(List<Command> commands, List<String> prefix, java.io.PrintStream out) {
        out.println("usage: wsbcn <command> [options]   (wsbcn <command> --help for its flags)");
        out.println();
        String group = prefix.isEmpty() || isHelp(prefix.get(0)) ? "" : prefix.get(0) + " ";
        int width = 0;
        for (Command c : commands) {
            width = Math.max(width, c.path().length());
        }
        for (Command c : commands) {
            if (group.isEmpty() || (c.path() + " ").startsWith(group)) {
                out.printf("  %-" + width + "s  %s%n", c.path(), c.summary());
            }
        }
    }

    /** The example, and the older flag names still accepted. */
    static String helpFooter(Command command) {
        StringBuilder sb = new StringBuilder("\nexample:\n  ").append(command.example());
        if (!command.oldSpellings().isEmpty()) {
            sb.append("\nolder spellings, still accepted:");
            new java.util.TreeMap<>(command.oldSpellings()).forEach((o, n) -> sb.append(" --").append(o)
                    .append(" (= --").append(n).append(')'));
        }
        return sb.toString();
    }

    private static void printHelp(Command command, Options options) {
        HelpFormatter f = new HelpFormatter();
        f.setWidth(110);
        f.setOptionComparator(null);
        PrintWriter pw = new PrintWriter(System.out);
        f.printHelp(pw, 110, "wsbcn " + command.path() + " " + command.usage(), command.summary(), options, 2, 2,
                null);
        pw.println(helpFooter(command)); // unwrapped: the example is one line to copy
        pw.flush();
    }
}
