package ai.wsbcn.video.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.norm.train.TrainableGradients;
import ai.wsbcn.norm.train.TrainingCheckpoint;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.video.model.TsmNetwork;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TSM trainer's {@code checkpoint.bin}: plugin-norm's {@link TrainingCheckpoint} (every parameter including
 * running statistics, {@link ClipSgd}'s momentum, written atomically) with the network's description (a checkpoint
 * of another architecture or norm is refused by name) and the position in the run as its metadata. Checkpoints of the
 * trainer's own earlier format (before 2026-12-06, "wsbcn-tsm-checkpoint-v1/v2") still load.
 */
final class VideoCheckpoint {

    private static final String LEGACY_V2 = "wsbcn-tsm-checkpoint-v2";
    private static final String LEGACY_V1 = "wsbcn-tsm-checkpoint-v1";
    private static final String NETWORK = "network";

    /** Where a run stands: the epoch to continue, the steps of it already done, and the steps of the whole run. */
    record Position(int epoch, int stepInEpoch, long step) {
    }

    private VideoCheckpoint() {}

    static void save(Path file, TsmNetwork net, ClipSgd sgd, Position at) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(NETWORK, net.toString());
        meta.put("epoch", Integer.toString(at.epoch()));
        meta.put("step_in_epoch", Integer.toString(at.stepInEpoch()));
        meta.put("step", Long.toString(at.step()));
        TrainingCheckpoint.save(file, net, sgd, meta);
    }

    /** Loads {@code file} into {@code net} and {@code sgd}; errors name the file and what does not fit. */
    static Position load(Path file, TsmNetwork net, ClipSgd sgd, NDManager manager) throws IOException {
        String magic = firstString(file);
        if (LEGACY_V2.equals(magic) || LEGACY_V1.equals(magic)) {
            return loadLegacy(file, net, sgd, manager);
        }
        Map<String, String> meta = TrainingCheckpoint.readMeta(file);
        String described = meta.get(NETWORK);
        if (described == null) {
            throw new InvalidInputException(file + ": not a wsbcn TSM checkpoint (no network description)");
        }
        if (!described.equals(net.toString())) {
            throw new InvalidInputException(file + ": checkpoint is for " + described + ", this run builds " + net);
        }
        TrainingCheckpoint.load(file, net, sgd, manager);
        try {
            return new Position(Integer.parseInt(meta.get("epoch")), Integer.parseInt(meta.get("step_in_epoch")),
                    Long.parseLong(meta.get("step")));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(file + ": bad position in the checkpoint's metadata " + meta, e);
        }
    }

    /** The file's leading string, or "" when it has none. */
    private static String firstString(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return in.readUTF();
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            return "";
        }
    }

    private static Position loadLegacy(Path file, TsmNetwork net, ClipSgd sgd, NDManager manager)
            throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(raw);
            String magic = in.readUTF();
            String described = in.readUTF();
            if (!described.equals(net.toString())) {
                throw new InvalidInputException(file + ": checkpoint is for " + described + ", this run builds " + net);
            }
            Position at = new Position(in.readInt(), in.readInt(), in.readLong());
            net.loadParameters(manager, in);
            // loading replaces the parameter arrays; the new ones need gradients attached again
            TrainableGradients.attach(net);
            try {
                sgd.load(in, manager, LEGACY_V2.equals(magic));
            } catch (IOException e) {
                throw new InvalidInputException(file + ": optimizer state: " + e.getMessage(), e);
            }
            return at;
        } catch (MalformedModelException e) {
            throw new InvalidInputException(file + ": cannot load checkpoint parameters (" + e.getMessage() + ")", e);
        }
    }
}
