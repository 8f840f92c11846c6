package ai.wsbcn.pretrained.train;

/**
 * What a {@link ClassificationPretrainer} run produced: test errors in percent, the number of updates, wall time of
 * this run (a resumed run counts only its own part) and the mean time of one micro-step (forward + backward).
 */
public record PretrainResult(double top1Error, double top5Error, long updates, double seconds,
        double msPerMicroStep, float lastLoss) {}
