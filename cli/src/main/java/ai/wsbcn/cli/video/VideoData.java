package ai.wsbcn.cli.video;

import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.video.data.FrameFolders;
import ai.wsbcn.video.data.SomethingSomething;
import ai.wsbcn.video.data.VideoList;
import ai.wsbcn.video.data.VideoListFile;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;
import java.util.List;

/** The data flags shared by the video commands: a Something-Something folder or a TSM list file. */
final class VideoData {

    private VideoData() {}

    static void addOptions(Options o) {
        o.addOption(Option.builder().longOpt("data").hasArg().argName("SS_ROOT")
                .desc("Something-Something V1 folder (labels/split CSVs, 20bn-something-something-v1/<id>/00001.jpg)")
                .build());
        o.addOption(Option.builder().longOpt("frames-root").hasArg().argName("DIR")
                .desc("with list files: folder the list's paths are relative to (default: the list's folder)").build());
        o.addOption(Option.builder().longOpt("frame-template").hasArg().argName("FMT")
                .desc("frame file names, printf pattern of the 1-based index (default %05d.jpg)").build());
    }

    /** The videos of {@code split} (train|validation) or of list file {@code listFlag}'s value. */
    static VideoList read(CommandLine cl, String split, String listFlag, List<String> classes) {
        String template = cl.getOptionValue("frame-template", FrameFolders.SS_TEMPLATE);
        if (listFlag != null && cl.hasOption(listFlag)) {
            Path list = Path.of(cl.getOptionValue(listFlag));
            Path root = cl.hasOption("frames-root") ? Path.of(cl.getOptionValue("frames-root"))
                    : list.toAbsolutePath().getParent();
            return VideoListFile.read(list, root, template, classes);
        }
        if (!cl.hasOption("data")) {
            throw new InvalidInputException("--data SS_ROOT is required"
                    + (listFlag == null ? "" : " (or --" + listFlag + " LIST)"));
        }
        Path root = Path.of(cl.getOptionValue("data"));
        if (!template.equals(FrameFolders.SS_TEMPLATE)) {
            List<String> names = SomethingSomething.readLabels(root.resolve(SomethingSomething.LABELS_FILE));
            return SomethingSomething.readSplit(root.resolve(SomethingSomething.Split.parse(split).fileName()), names,
                    SomethingSomething.frameRoot(root), template);
        }
        return SomethingSomething.read(root, SomethingSomething.Split.parse(split));
    }

    static void report(VideoList list, String what) {
        System.err.printf("%s: %d videos, %d classes%s%n", what, list.size(), list.classes().size(),
                list.skipped().isEmpty() ? "" : ", " + list.skipped().size() + " skipped (missing or empty frame folders)");
        for (int i = 0; i < Math.min(5, list.skipped().size()); i++) {
            System.err.println("  skipped " + list.skipped().get(i));
        }
        if (list.skipped().size() > 5) {
            System.err.println("  ... and " + (list.skipped().size() - 5) + " more");
        }
    }
}
