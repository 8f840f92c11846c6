package ai.wsbcn.segmentation.train;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import java.nio.file.Path;

/**
 * Training hyper-parameters; defaults are the paper's VOC recipe (Table 11 / DeepLabV3): 30,000 iterations, base LR
 * 0.007 with poly decay power 0.9, SGD momentum 0.9, weight decay 1e-4, batch 1 (micro-batch training), crop 513,
 * scales 0.5–2.0, flips.
 */
public final class TrainConfig {

    final int iters;
    final float lr;
    final float power;
    final float momentum;
    final float weightDecay;
    final int batch;
    final int iterSize;
    final int crop;
    final double minScale;
    final double maxScale;
    final long seed;
    final int checkpointEvery;
    final int logEvery;
    final Path outDir;
    final boolean resume;
    final java.nio.file.Path backboneWeights;
    final boolean quiet;
    final int stopAt;

    private TrainConfig(Builder b) {
        iters = b.iters;
        lr = b.lr;
        power = b.power;
        momentum = b.momentum;
        weightDecay = b.weightDecay;
        batch = b.batch;
        iterSize = b.iterSize;
        crop = b.crop;
        minScale = b.minScale;
        maxScale = b.maxScale;
        seed = b.seed;
        checkpointEvery = b.checkpointEvery;
        logEvery = b.logEvery;
        outDir = b.outDir;
        resume = b.resume;
        backboneWeights = b.backboneWeights;
        quiet = b.quiet;
        stopAt = b.stopAt;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int iters() {
        return iters;
    }

    public int batch() {
        return batch;
    }

    public int iterSize() {
        return iterSize;
    }

    public int crop() {
        return crop;
    }

    public Path outDir() {
        return outDir;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("iters", iters);
        o.addProperty("lr", lr);
        o.addProperty("lrPolicy", "poly");
        o.addProperty("power", power);
        o.addProperty("momentum", momentum);
        o.addProperty("weightDecay", weightDecay);
        o.addProperty("batch", batch);
        o.addProperty("iterSize", iterSize);
        o.addProperty("crop", crop);
        o.addProperty("minScale", minScale);
        o.addProperty("maxScale", maxScale);
        o.addProperty("seed", seed);
        o.addProperty("bcnUpdateRate", "= learning rate");
        return o;
    }

    @Override
    public String toString() {
        return new Gson().toJson(toJson());
    }

    /** Builder: {@code setOutDir} is required. */
    public static final class Builder {
        private int iters = 30000;
        private float lr = 0.007f;
        private float power = 0.9f;
        private float momentum = 0.9f;
        private float weightDecay = 1e-4f;
        private int batch = 1;
        private int iterSize = 1;
        private int crop = 513;
        private double minScale = 0.5;
        private double maxScale = 2.0;
        private long seed = 1;
        private int checkpointEvery = 1000;
        private int logEvery = 20;
        private Path outDir;
        private boolean resume;
        private java.nio.file.Path backboneWeights;
        private boolean quiet;
        private int stopAt;

        public Builder setOutDir(Path outDir) {
            this.outDir = outDir;
            return this;
        }

        public Builder optIters(int iters) {
            this.iters = iters;
            return this;
        }

        public Builder optLr(float lr) {
            this.lr = lr;
            return this;
        }

        public Builder optPower(float power) {
            this.power = power;
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Images per micro-batch (1 or 2 in the paper's micro-batch setting). */
        public Builder optBatch(int batch) {
            this.batch = batch;
            return this;
        }

        /** Micro-batches whose gradients are summed into one update. */
        public Builder optIterSize(int iterSize) {
            this.iterSize = iterSize;
            return this;
        }

        public Builder optCrop(int crop) {
            this.crop = crop;
            return this;
        }

        public Builder optScaleRange(double min, double max) {
            this.minScale = min;
            this.maxScale = max;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Steps between atomic checkpoints (the last step always writes one). */
        public Builder optCheckpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /** Steps between CSV log rows and progress lines. */
        public Builder optLogEvery(int logEvery) {
            this.logEvery = logEvery;
            return this;
        }

        /**
         * Initialise the backbone from a checkpoint (any format of {@code ai.wsbcn.pretrained.io.StateDicts};
         * torchvision names) before the first step of a new run.
         */
        public Builder optBackboneWeights(java.nio.file.Path weights) {
            this.backboneWeights = weights;
            return this;
        }

        /** Continue from {@code outDir/checkpoint.bin} when it exists. */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** No progress lines on stderr. */
        public Builder optQuiet(boolean quiet) {
            this.quiet = quiet;
            return this;
        }

        /**
         * Stop after this step (writing a checkpoint) although the schedule runs to {@code iters}: train a long
         * schedule in sessions with {@code --resume}. 0 = run to the end.
         */
        public Builder optStopAt(int stopAt) {
            this.stopAt = stopAt;
            return this;
        }

        public TrainConfig build() {
            if (outDir == null) {
                throw new IllegalArgumentException("TrainConfig needs an output folder");
            }
            if (iters < 1 || batch < 1 || iterSize < 1 || crop < 16 || !(lr > 0) || checkpointEvery < 1
                    || logEvery < 1) {
                throw new ai.wsbcn.util.InvalidInputException("training: need iters >= 1, batch >= 1, iter-size >= 1,"
                        + " crop >= 16, lr > 0 (got iters " + iters + ", batch " + batch + ", iter-size " + iterSize
                        + ", crop " + crop + ", lr " + lr + ")");
            }
            return new TrainConfig(this);
        }
    }
}
