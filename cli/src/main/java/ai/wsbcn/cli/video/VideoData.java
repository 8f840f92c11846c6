package ai.wsbcn.cli.video;

import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.video.data.FrameFolders;
import ai.wsbcn.video.data.SomethingSomething;
import ai.wsbcn.video.data.VideoList;
import ai.wsbcn.video.data.VideoListFile;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** The data flags shared by the video commands: a Something-Something folder or a TSM list file. */
final class VideoData {

    private VideoData() {}

    static void addOptions(Options o) {
        o.addOption(Option.builder().longOpt("data").hasArg().argName("SS_ROOT")
                .desc("Something-Something folder: V1 (labels/split CSVs, 20bn-something-something-v1/<id>/00001.jpg)"
                        + " or V2 (labels/split JSONs, 20bn-something-something-v2-frames/<id>/000001.jpg)")
                .build());
        o.addOption(Option.builder().longOpt("frames-root").hasArg().argName("DIR")
                .desc("folder of the per-video frame folders (default: --data's 20bn-something-something-v1 or -v2-frames,"
                        + " or --data itself); with list files: the list's paths are relative to it (default: the"
                        + " list's folder)").build());
        o.addOption(Option.builder().longOpt("labels").hasArg().argName("FILE")
                .desc("with list files: class names, one per line, line = label (TSM's category.txt)").build());
        o.addOption(Option.builder().longOpt("frame-template").hasArg().argName("FMT")
                .desc("frame file names by 1-based index, printf or TSM's Python syntax (default %05d.jpg for V1 and"
                        + " list files, %06d.jpg for V2)").build());
    }

    /**
     * The videos of {@code split} (train|validation) or of list file {@code listFlag}'s value; {@code classes} are the
     * model's (evaluation, validation) or {@code null} (training: from --labels or the data).
     */
    static VideoList read(CommandLine cl, String split, String listFlag, List<String> classes) {
        String template = cl.hasOption("frame-template") ? FrameFolders.parseTemplate(cl.getOptionValue("frame-template"))
                : null;
        if (listFlag != null && cl.hasOption(listFlag)) {
            Path list = Path.of(cl.getOptionValue(listFlag));
            Path root = cl.hasOption("frames-root") ? Path.of(cl.getOptionValue("frames-root"))
                    : list.toAbsolutePath().getParent();
            List<String> names = classes;
            if (cl.hasOption("labels")) {
                Path file = Path.of(cl.getOptionValue("labels"));
                List<String> named = SomethingSomething.readLabels(file);
                if (names != null && !named.equals(names)) {
                    throw new InvalidInputException(file + ": its " + named.size() + " classes are not the model's "
                            + names.size() + " (first difference at label " + firstDifference(named, names) + ")");
                }
                names = named;
            }
            return VideoListFile.read(list, root, template != null ? template : FrameFolders.SS_TEMPLATE, names);
        }
        if (!cl.hasOption("data")) {
            throw new InvalidInputException("--data SS_ROOT is required"
                    + (listFlag == null ? "" : " (or --" + listFlag + " LIST)"));
        }
        return SomethingSomething.read(Path.of(cl.getOptionValue("data")), SomethingSomething.Split.parse(split),
                template, cl.hasOption("frames-root") ? Path.of(cl.getOptionValue("frames-root")) : null);
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    /**
     * Prints the counts to {@code console} and the first skipped and shortened videos to standard error (warnings,
     * printed under {@code --quiet} too); no usable video at all is an error.
     */
    static void report(VideoList list, String what, PrintStream console) {
        console.printf("%s: %d videos, %d classes%s%n", what, list.size(), list.classes().size(),
                list.skipped().isEmpty() ? "" : ", " + list.skipped().size() + " skipped (missing or empty frame folders)");
        for (int i = 0; i < Math.min(5, list.skipped().size()); i++) {
            System.err.println(what + ": skipped " + list.skipped().get(i));
        }
        if (list.skipped().size() > 5) {
            System.err.println("  ... and " + (list.skipped().size() - 5) + " more");
        }
        if (!list.shortened().isEmpty()) {
            System.err.printf("%s: %d videos are used with fewer frames than they seem to have:%n", what,
                    list.shortened().size());
            for (int i = 0; i < Math.min(5, list.shortened().size()); i++) {
                System.err.println("  " + list.shortened().get(i));
            }
            if (list.shortened().size() > 5) {
                System.err.println("  ... and " + (list.shortened().size() - 5) + " more");
            }
        }
        if (list.videos().isEmpty()) {
            throw new InvalidInputException(what + ": no usable video (all " + list.skipped().size() + " skipped,"
                    + " first: " + list.skipped().get(0) + ")");
        }
    }
}
