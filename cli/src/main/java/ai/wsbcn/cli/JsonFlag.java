package ai.wsbcn.cli;

import ai.wsbcn.util.AtomicFiles;

import org.apache.commons.cli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --json OUT.json} of the evaluation commands, the same in each: the figures written to the file as well as
 * printed, or with {@code --json -} printed as JSON instead of the text, for a pipe.
 */
public final class JsonFlag {

    private JsonFlag() {}

    /** Whether {@code --json -} replaces the printed text by the JSON. */
    public static boolean replacesText(CommandLine cl) {
        return "-".equals(cl.getOptionValue("json"));
    }

    /** Writes {@code json} where {@code --json} says, if given: a file atomically (named on the console), or "-". */
    public static void write(CommandLine cl, String json) throws IOException {
        String target = cl.getOptionValue("json");
        if (target == null) {
            return;
        }
        if (target.equals("-")) {
            System.out.println(json);
        } else {
            AtomicFiles.writeString(Path.of(target), json + "\n");
            Flags.console(cl).println("wrote " + target);
        }
    }

    /** The flag's help: what is in the JSON, then the shared part. */
    public static String help(String what) {
        return "also write " + what + " as JSON ('-': print the JSON instead of the text)";
    }
}
