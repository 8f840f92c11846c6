package ai.wsbcn.cli;

import java.util.List;

/**
 * Every sub-command, in the order {@code wsbcn --help} lists them: grouped by first word, pipelines before tools.
 * Add one line per new command.
 */
final class Commands {

    private Commands() {}

    static List<Command> all() {
        return List.of(
                new VersionCommand(),
                new ai.wsbcn.cli.demo.DemoCommand(),
                new ai.wsbcn.cli.detection.DemoDetectionCommand(),
                new ai.wsbcn.cli.segmentation.DemoSegmentationCommand(),
                new ai.wsbcn.cli.video.DemoVideoCommand(),
                new ai.wsbcn.cli.detection.DetectionTrainCommand(),
                new ai.wsbcn.cli.detection.DetectionEvalCommand(),
                new ai.wsbcn.cli.detection.DetectionPredictCommand(),
                new ai.wsbcn.cli.segmentation.SegmentationTrainCommand(),
                new ai.wsbcn.cli.segmentation.SegmentationEvalCommand(),
                new ai.wsbcn.cli.segmentation.SegmentationPredictCommand(),
                new ai.wsbcn.cli.video.VideoTrainCommand(),
                new ai.wsbcn.cli.video.VideoEvalCommand(),
                new ai.wsbcn.cli.pretrain.PretrainCommand(),
                new ai.wsbcn.cli.pretrained.PretrainedListCommand(),
                new ai.wsbcn.cli.pretrained.PretrainedImportCommand(),
                new ai.wsbcn.cli.pretrained.PretrainedVerifyCommand(),
                new ai.wsbcn.cli.pretrained.PretrainedExportCommand(),
                new ai.wsbcn.cli.eval.EvalCocoCommand(),
                new ai.wsbcn.cli.eval.EvalVocCommand(),
                new ai.wsbcn.cli.bench.BenchNormsCommand(),
                new ai.wsbcn.cli.bench.BenchCocoEvalCommand(),
                new ai.wsbcn.cli.detection.BenchDetectionCommand(),
                new ai.wsbcn.cli.segmentation.BenchSegmentationCommand(),
                new ai.wsbcn.cli.video.BenchVideoCommand(),
                new ai.wsbcn.cli.bench.BenchAllocatorCommand()
        );
    }
}
