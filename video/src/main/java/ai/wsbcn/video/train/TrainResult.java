package ai.wsbcn.video.train;

import ai.wsbcn.video.eval.TopKAccuracy;

/** What a training run ended with: steps done, the mean loss of the last epoch, and the last evaluation (or null). */
public record TrainResult(long steps, double lastEpochLoss, double firstEpochLoss, TopKAccuracy evaluation,
        double seconds) {
}
