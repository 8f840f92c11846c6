package ai.wsbcn.pretrained.io;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.pretrained.backbone.ResNetArch;
import ai.wsbcn.pretrained.backbone.ResNets;
import ai.wsbcn.util.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads DJL {@code .params} files written by {@code Block.saveParameters}. The format stores tensors in block order
 * without names, so the architecture must be known: the ResNet is built for (arch, norm), DJL reads the file into it,
 * and its parameters are taken out by PyTorch-style name. Shapes come from the file, so the class count of the head
 * does not need to be known; a file without a head (a features-only backbone) is tried second.
 */
public final class DjlParams {

    private DjlParams() {}

    /** Whether {@code file} is named like a DJL parameter file. */
    public static boolean isParamsFile(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".params");
    }

    /** Reads {@code file} as the parameters of an {@code arch} ResNet with {@code norm}. */
    public static Map<String, TensorData> read(Path file, ResNetArch arch, NormSpec norm) throws IOException {
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            return read(file, arch, norm, m);
        }
    }

    /** As {@link #read(Path, ResNetArch, NormSpec)}, on {@code manager}'s engine (arrays are freed on return). */
    public static Map<String, TensorData> read(Path file, ResNetArch arch, NormSpec norm, NDManager manager)
            throws IOException {
        if (arch == null || norm == null) {
            throw new InvalidInputException(file + ": a DJL .params file has no parameter names; give the"
                    + " architecture and norm it was saved with (--arch and --norm)");
        }
        String withHead;
        try {
            return readInto(file, manager, ResNets.builder().setArch(arch).setNorm(norm).build());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            withHead = String.valueOf(e.getMessage());
        }
        try {
            return readInto(file, manager, ResNets.builder().setArch(arch).setNorm(norm).optFeatures(true).build());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new InvalidInputException(file + ": not a DJL .params file of a " + arch.id() + " with norm "
                    + norm + " (truncated, or another architecture/norm): " + withHead, e);
        }
    }

    private static Map<String, TensorData> readInto(Path file, NDManager manager, Block model)
            throws IOException, MalformedModelException {
        try (NDManager m = manager.newSubManager();
                InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            model.loadParameters(m, in);
            if (in.read() != -1) {
                throw new MalformedModelException("bytes left after the last parameter");
            }
            return StateDicts.of(model);
        }
    }
}
