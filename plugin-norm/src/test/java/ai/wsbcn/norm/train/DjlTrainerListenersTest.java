package ai.wsbcn.norm.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import ai.wsbcn.norm.BatchChannelNorm;
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two listeners under DJL's own {@link Trainer} ({@code EasyTrain.trainBatch} + {@code step}), which calls
 * {@code onTrainingBegin} when it is created and {@code onTrainingBatch} after each backward, never before a forward.
 */
class DjlTrainerListenersTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void everyBatchRunsAtItsOwnRateAndDueBatchesAreObserved(String engine, @TempDir Path dir) throws Exception {
        NormSpec spec = NormSpec.parse("bcn(2)+ws");
        BatchChannelNorm first = (BatchChannelNorm) spec.buildNorm(4);
        List<Float> ratesSeen = new ArrayList<>();
        SequentialBlock net = new SequentialBlock()
                .add(new LambdaBlock(in -> {
                    ratesSeen.add(first.getUpdateRate()); // the rate in force when this batch's forward starts
                    return in;
                }))
                .add(spec.buildConv(ConvSpec.builder().setKernel(3).setFilters(4).optPadding(1).build()))
                .add(first)
                .add(Activation.reluBlock())
                .add(spec.buildConv(ConvSpec.builder().setKernel(3).setFilters(4).optPadding(1).build()))
                .add(spec.buildNorm(4));
        // the learning rate of update k is 0.1 (k + 1): every batch has a rate of its own
        Tracker lr = numUpdate -> 0.1f * (numUpdate + 1);
        Path csv = dir.resolve("statdiff.csv");
        try (NDManager m = TestEngines.manager(engine);
                Model model = Model.newInstance("listeners", Device.cpu(), engine);
                StatDiffListener statDiff = new StatDiffListener(net, csv, 2)) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(lr).build())
                    .addTrainingListeners(new BcnRateListener(net, lr, 0), statDiff);
            try (Trainer trainer = model.newTrainer(config)) {
                Shape shape = new Shape(2, 3, 6, 6);
                trainer.initialize(shape);
                for (int k = 0; k < 5; k++) {
                    NDManager batchManager = trainer.getManager().newSubManager();
                    Batch batch = new Batch(batchManager, new NDList(batchManager.randomNormal(shape)),
                            new NDList(batchManager.zeros(new Shape(2, 4, 6, 6))), 1, Batchifier.STACK,
                            Batchifier.STACK, k, 5);
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    if (k == 0) {
                        float[] mean = first.getParameters().get("running_mean").getArray().toFloatArray();
                        float moved = 0;
                        for (float v : mean) {
                            moved += Math.abs(v);
                        }
                        assertTrue(moved > 0, "batch 0 moved the estimates (its rate was not 0)");
                    }
                    batch.close();
                    batchManager.close();
                }
            }
        }
        // exactly the learning rate of each batch's own update, as float32
        assertEquals(List.of(0.1f, 0.2f, 0.3f, 0.4f, 0.5f), ratesSeen.subList(ratesSeen.size() - 5,
                ratesSeen.size()));
        // batches 0, 2 and 4 observed, one row per norm layer each
        List<String> rows = Files.readAllLines(csv);
        assertEquals(1 + 3 * 2, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("0,") && rows.get(3).startsWith("2,") && rows.get(5).startsWith("4,"),
                rows.toString());
    }
}
