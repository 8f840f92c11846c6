package ai.wsbcn.video.train;

import ai.wsbcn.video.eval.TopKAccuracy;

/**
 * What a training run ended with: the step it started at (0, or where it resumed) and the steps done in all, the mean
 * loss of the last epoch, and the last evaluation (or null).
 */
public record TrainResult(long startStep, long steps, double lastEpochLoss, double firstEpochLoss, TopKAccuracy evaluation,
        double seconds) {
}
