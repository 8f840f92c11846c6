package ai.wsbcn.segmentation.predict;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.train.LrSchedule;
import ai.wsbcn.norm.train.Sgd;
import ai.wsbcn.norm.train.TrainingCheckpoint;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.segmentation.model.DeepLabV3;
import ai.wsbcn.segmentation.model.ModelSpec;
import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A network rebuilt from a training output: {@code model.json} (the architecture) and {@code checkpoint.bin} (the
 * weights) side by side; give the folder or the checkpoint file.
 */
public record TrainedModel(ModelSpec spec, DeepLabV3 model, int step, Path checkpoint) {

    public static TrainedModel load(Path checkpointOrDir, NDManager manager) throws IOException {
        Path file = Files.isDirectory(checkpointOrDir) ? checkpointOrDir.resolve("checkpoint.bin") : checkpointOrDir;
        Path specFile = file.toAbsolutePath().getParent().resolve("model.json");
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": checkpoint not found");
        }
        if (!Files.isRegularFile(specFile)) {
            throw new InvalidInputException(specFile + ": model spec not found (it is written next to every"
                    + " checkpoint by segmentation train)");
        }
        ModelSpec spec = ModelSpec.fromJson(Files.readString(specFile), specFile.toString());
        DeepLabV3 model = spec.build(ConvNorm::parse);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        // the optimizer state in the checkpoint is read and dropped: inference needs only the weights
        Sgd unused = Sgd.builder().setSchedule(LrSchedule.poly(1f, 1, 0.9f)).build();
        Map<String, String> meta = TrainingCheckpoint.load(file, model, unused, manager);
        int step = meta.containsKey("step") ? Integer.parseInt(meta.get("step")) : (int) unused.updateIndex();
        return new TrainedModel(spec, model, step, file);
    }
}
