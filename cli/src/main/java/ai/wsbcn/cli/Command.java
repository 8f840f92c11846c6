package ai.wsbcn.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import java.util.Map;

/**
 * One {@code wsbcn} sub-command, e.g. {@code eval coco}. A command only parses its flags and calls a module: the
 * work itself lives in the library so that Java users get it without the command line.
 */
public interface Command {

    /** The words that select this command, e.g. {@code "eval coco"} or {@code "demo"}. */
    String path();

    /** One line for the command listing. */
    String summary();

    /** Usage after the command path, e.g. {@code "--gt GT.json --dt DT.json [options]"}. */
    default String usage() {
        return "[options]";
    }

    /** One typical invocation, shown under the help: {@code wsbcn eval coco --gt ... --dt ...}. */
    String example();

    /** Flags of this command; the global ones ({@code --engine}, {@code --verbose}, {@code --help}) are added. */
    Options options();

    /**
     * Whether the command takes {@code --config FILE} (its own flags from a JSON or YAML file) and records the flags
     * of each run in {@code OUT/config.json} ({@link ConfigFile}); the training commands do.
     */
    default boolean acceptsConfigFile() {
        return false;
    }

    /** The engine the command runs on without {@code --engine}, as its help says it. */
    default String defaultEngine() {
        return "mxnet";
    }

    /**
     * Older names of flags renamed to match the other commands (old name to current name, without dashes): still
     * accepted on the command line and in settings files, as the current name, and listed under the help.
     */
    default Map<String, String> oldSpellings() {
        return Map.of();
    }

    /** Runs the command and returns the process exit status. */
    int run(CommandLine cl) throws Exception;
}
