package ai.wsbcn.video.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.util.JsonErrors;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything needed to rebuild a trained TSM/TSN network and feed it: architecture, norm, segments, shift, classes
 * and input sizes. Saved as {@code model.json} next to {@code model.params} so {@code wsbcn video eval} needs only
 * the folder.
 */
public record TsmModelSpec(String backbone, String norm, int segments, int foldDiv, boolean shift, int stemStride,
        float dropout, int cropSize, int scaleSize, List<String> classes) {

    public static final String JSON = "model.json";
    public static final String PARAMS = "model.params";

    public TsmModelSpec {
        classes = List.copyOf(classes);
    }

    /** A fresh, uninitialised network of this spec. */
    public TsmNetwork build() {
        return TsmNetwork.builder().setClasses(classes.size()).setConvNorm(ConvNorm.parse(norm))
                .optArchitecture(TsmArchitecture.parse(backbone)).optSegments(segments).optFoldDiv(foldDiv)
                .optShift(shift).optDropout(dropout).optStemStride(stemStride).build();
    }

    /** The input shape of {@code clips} clips. */
    public Shape inputShape(int clips) {
        return new Shape(clips, segments, 3, cropSize, cropSize);
    }

    /**
     * Builds and initialises a network: convolutions Kaiming-normal (fan-in, gain 2, as torchvision's ResNet), the
     * classifier normal(0, 0.001) as TSM's new fc, biases zero, norm scales one.
     */
    public TsmNetwork buildInitialized(NDManager manager) {
        TsmNetwork net = build();
        net.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        net.classifier().setInitializer(new NormalInitializer(0.001f), Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, inputShape(1));
        return net;
    }

    /** Writes {@code model.json} and {@code model.params} into {@code dir}. */
    public void save(Path dir, TsmNetwork net) throws IOException {
        Files.createDirectories(dir);
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        AtomicFiles.writeString(dir.resolve(JSON), gson.toJson(this));
        AtomicFiles.write(dir.resolve(PARAMS), out -> net.saveParameters(new DataOutputStream(out)));
    }

    /** Reads {@code dir/model.json}. */
    public static TsmModelSpec read(Path dir) {
        Path file = dir.resolve(JSON);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": model description not found (expected a folder written by"
                    + " 'wsbcn video train')");
        }
        try {
            TsmModelSpec s = new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), TsmModelSpec.class);
            if (s == null || s.backbone == null || s.norm == null || s.classes == null || s.segments < 1
                    || s.cropSize < 1) {
                throw new InvalidInputException(file + ": missing fields (backbone, norm, segments, cropSize,"
                        + " classes)");
            }
            return new TsmModelSpec(s.backbone, s.norm, s.segments, s.foldDiv, s.shift, Math.max(1, s.stemStride),
                    s.dropout, s.cropSize, s.scaleSize, s.classes);
        } catch (IOException | JsonParseException e) {
            throw new InvalidInputException(file + ": cannot read model description (" + JsonErrors.describe(e) + ")",
                    e);
        }
    }

    /** Reads {@code dir/model.json} and {@code dir/model.params} into an initialised network. */
    public static TsmNetwork load(Path dir, NDManager manager) {
        TsmModelSpec spec = read(dir);
        TsmNetwork net = spec.buildInitialized(manager);
        Path params = dir.resolve(PARAMS);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(params))) {
            net.loadParameters(manager, new DataInputStream(in));
        } catch (IOException | MalformedModelException e) {
            throw new InvalidInputException(params + ": cannot load parameters (" + e.getMessage() + ")", e);
        }
        return net;
    }
}
