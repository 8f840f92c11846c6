package ai.wsbcn.norm.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue a training run exactly: all parameters of the model (including the non-trainable
 * ones: BN running statistics and BCN estimates), the optimizer's momentum buffers and update index, and the caller's
 * own metadata (data order position, seed, config). Written atomically (temporary file, fsync, rename), so an
 * interrupted write leaves the previous checkpoint intact. Pipelines derive their randomness from (seed, update
 * index), so restoring the index restores the data order and augmentation too.
 */
public final class TrainingCheckpoint {

    private static final String MAGIC = "wsbcn-checkpoint-1";
    private static final Gson GSON = new Gson();

    private TrainingCheckpoint() {}

    /** Writes model, optimizer and {@code meta} to {@code file} atomically. */
    public static void save(Path file, Block model, OptimizerState optimizer, Map<String, String> meta)
            throws IOException {
        byte[] optimizerState = optimizer.saveState(model);
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeUTF(MAGIC);
            byte[] json = GSON.toJson(meta).getBytes(StandardCharsets.UTF_8);
            out.writeInt(json.length);
            out.write(json);
            out.writeInt(optimizerState.length);
            out.write(optimizerState);
            model.saveParameters(out);
            out.flush();
        });
    }

    /**
     * The metadata of the checkpoint in {@code file} without loading anything, so that a caller can check that it
     * fits (its model description, say) before {@link #load} overwrites the model.
     *
     * @throws InvalidInputException when the file is not a wsbcn checkpoint
     */
    public static Map<String, String> readMeta(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no checkpoint to resume from");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            return readHeader(file, new DataInputStream(raw));
        }
    }

    private static Map<String, String> readHeader(Path file, DataInputStream in) throws IOException {
        String magic;
        try {
            magic = in.readUTF();
        } catch (IOException e) {
            magic = "";
        }
        if (!MAGIC.equals(magic)) {
            throw new InvalidInputException(file + ": not a wsbcn training checkpoint");
        }
        try {
            byte[] json = new byte[checkedLength(file, in.readInt())];
            in.readFully(json);
            return GSON.fromJson(new String(json, StandardCharsets.UTF_8),
                    new TypeToken<LinkedHashMap<String, String>>() { }.getType());
        } catch (java.io.EOFException | com.google.gson.JsonParseException e) {
            throw damaged(file, e);
        }
    }

    /**
     * Restores {@code model} (already built and initialised with the same structure) and {@code optimizer} from
     * {@code file}; returns the metadata saved with them.
     *
     * @throws InvalidInputException when the file is not a wsbcn checkpoint or does not fit the model
     */
    public static Map<String, String> load(Path file, Block model, OptimizerState optimizer, NDManager manager)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no checkpoint to resume from");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(raw);
            Map<String, String> meta = readHeader(file, in);
            byte[] optimizerState;
            try {
                optimizerState = new byte[checkedLength(file, in.readInt())];
                in.readFully(optimizerState);
            } catch (java.io.EOFException e) {
                throw damaged(file, e);
            }
            // the optimizer first: its buffers are keyed by parameter names, which loading values does not change,
            // and a state that does not fit then leaves the model as it was
            try {
                optimizer.loadState(model, manager, optimizerState);
            } catch (IOException e) {
                throw new InvalidInputException(file + ": the checkpoint does not fit this model or optimizer"
                        + " (another architecture, norm or number of classes?): optimizer state: " + e.getMessage(), e);
            }
            try {
                model.loadParameters(manager, in);
            } catch (IOException | IllegalStateException | java.nio.BufferUnderflowException e) {
                throw damaged(file, e);
            } catch (MalformedModelException | IllegalArgumentException e) {
                throw new InvalidInputException(file + ": the checkpoint does not fit this model (another"
                        + " architecture, norm or number of classes?): " + e.getMessage(), e);
            }
            // loading replaces the parameter arrays; the new ones need their gradients attached again
            TrainableGradients.attach(model);
            return meta;
        }
    }

    /** A section length read from the file: never more than the file holds (a damaged length would ask for GBs). */
    private static int checkedLength(Path file, int length) throws IOException {
        if (length < 0 || length > Files.size(file)) {
            throw damaged(file, null);
        }
        return length;
    }

    private static InvalidInputException damaged(Path file, Exception cause) {
        return new InvalidInputException(file + ": truncated or damaged checkpoint (copied while it was written?)",
                cause);
    }
}
