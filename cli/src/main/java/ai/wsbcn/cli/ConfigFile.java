package ai.wsbcn.cli;

import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.util.SettingsFile;

import com.google.gson.GsonBuilder;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code --config FILE} for the commands that take one ({@link Command#acceptsConfigFile()}), detectron2 style: the
 * file holds the command's own flags by name ({@code iter-size: 4} or {@code iter_size: 4}, JSON or YAML, see
 * {@link SettingsFile}), and a flag on the command line wins over the file. The flags a run used are written to
 * {@code OUT/config.json}, which {@code --config} reads back, and which {@code --resume} reads by itself when no
 * {@code --config} is given, so {@code --out DIR --resume} continues a run with its own settings.
 */
final class ConfigFile {

    static final String FLAG = "config";
    static final String SAVED = "config.json";

    /** Flags of one invocation rather than of a run's settings: never recorded (a file may still give them). */
    private static final Set<String> PER_INVOCATION = Set.of(FLAG, "help", "verbose", "quiet", "resume", "stop-at",
            "max-steps");

    private ConfigFile() {}

    static Option option() {
        return Option.builder().longOpt(FLAG).hasArg().argName("FILE")
                .desc("JSON or YAML file of this command's flags by name (flags given here override it); a run's"
                        + " flags are saved as OUT/" + SAVED + ", which --resume reads by itself").build();
    }

    /** The settings file to apply: {@code --config}, else {@code OUT/config.json} under {@code --resume}, else null. */
    static Path source(CommandLine cl) {
        if (cl.hasOption(FLAG)) {
            return Path.of(cl.getOptionValue(FLAG));
        }
        if (cl.hasOption("resume") && cl.hasOption("out")) {
            Path out = Path.of(cl.getOptionValue("out"));
            Path saved = out.resolve(SAVED);
            // every run records its flags before its first step, so a folder with neither file never held one:
            // starting afresh there would train with default flags (another network) where a run was meant to go on
            if (!Files.isRegularFile(saved) && !Files.isRegularFile(out.resolve("checkpoint.bin"))) {
                throw new InvalidInputException(out + ": nothing to resume (no " + SAVED + " or checkpoint.bin);"
                        + " check --out, or leave out --resume to start a run");
            }
            return Files.isRegularFile(saved) ? saved : null;
        }
        return null;
    }

    /**
     * {@code args} followed by the file's settings that {@code given} does not already set, as flags.
     *
     * @param command the command's words, for error messages
     * @param oldSpellings older flag names and their current ones (a saved config.json may use them)
     */
    static String[] merge(Options options, CommandLine given, String[] args, Path file, String command,
            Map<String, String> oldSpellings) {
        List<String> merged = new ArrayList<>(Arrays.asList(args));
        for (Map.Entry<String, String> e : SettingsFile.read(file).entrySet()) {
            String name = e.getKey().replace('_', '-');
            name = name.startsWith("--") ? name.substring(2) : name;
            name = oldSpellings.getOrDefault(name, name);
            Option opt = options.getOption(name);
            if (!options.hasLongOption(name) || opt == null || name.equals(FLAG) || name.equals("help")) {
                throw new InvalidInputException(file + ": " + e.getKey() + ": not a flag of 'wsbcn " + command
                        + "' (run 'wsbcn " + command + " --help' for its flags)");
            }
            String value = e.getValue();
            if (given.hasOption(name) || value == null) {
                continue;
            }
            if (opt.hasArg()) {
                merged.add("--" + name);
                merged.add(value);
            } else if (value.equalsIgnoreCase("true")) {
                merged.add("--" + name);
            } else if (!value.equalsIgnoreCase("false")) {
                throw new InvalidInputException(file + ": " + e.getKey() + ": expected true or false, got '"
                        + value + "'");
            }
        }
        return merged.toArray(new String[0]);
    }

    /**
     * " (set in FILE)" when {@code message} is about a flag ({@code --lr: ...}) whose value came from the settings
     * file rather than the command line ({@code given}), so that the user knows where to fix it; else "".
     */
    static String origin(String message, Path settings, Set<String> given) {
        int colon = message.indexOf(':');
        if (settings == null || !message.startsWith("--") || colon < 0) {
            return "";
        }
        String flag = message.substring(2, colon);
        if (given.contains(flag)) {
            return "";
        }
        try {
            boolean inFile = SettingsFile.read(settings).keySet().stream()
                    .anyMatch(k -> k.replace('_', '-').replaceFirst("^--", "").equals(flag));
            return inFile ? " (set in " + settings + ")" : "";
        } catch (InvalidInputException e) {
            return "";
        }
    }

    /**
     * Writes the run's flags to {@code OUT/config.json} if the command line has {@code --out}; returns what
     * {@link Recorded#undo} needs to put back the file it replaced, or null without {@code --out}.
     */
    static Recorded record(CommandLine cl) throws IOException {
        if (!cl.hasOption("out")) {
            return null;
        }
        Map<String, Object> flags = new LinkedHashMap<>();
        for (Option o : cl.getOptions()) {
            String name = o.getLongOpt();
            if (name != null && !PER_INVOCATION.contains(name.toLowerCase(Locale.ROOT))) {
                flags.put(name, o.hasArg() ? o.getValue() : Boolean.TRUE);
            }
        }
        Path file = Path.of(cl.getOptionValue("out")).resolve(SAVED);
        byte[] previous = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(flags) + "\n");
        return new Recorded(file, previous);
    }

    /**
     * A written {@code OUT/config.json} and the file it replaced (null if none). A run refused for bad input (a
     * {@code --resume} with settings its checkpoint was not written with, say) undoes its record, so that the next
     * {@code --resume} still finds the settings the checkpoint belongs to.
     */
    record Recorded(Path file, byte[] previous) {

        void undo() throws IOException {
            if (previous == null) {
                Files.deleteIfExists(file);
            } else {
                AtomicFiles.write(file, out -> out.write(previous));
            }
        }
    }
}
