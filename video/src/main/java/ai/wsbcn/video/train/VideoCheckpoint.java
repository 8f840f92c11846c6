package ai.wsbcn.video.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.video.model.TsmNetwork;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TSM trainer's {@code checkpoint.bin}: the network's description (a checkpoint of another architecture or norm
 * is refused by name), the position in the run, every parameter including running statistics, and {@link ClipSgd}'s
 * state. Written atomically, so an interruption leaves the previous checkpoint whole.
 */
final class VideoCheckpoint {

    /** v2 stores each momentum buffer's scale; v1 checkpoints (without) still load. */
    private static final String MAGIC = "wsbcn-tsm-checkpoint-v2";
    private static final String MAGIC_V1 = "wsbcn-tsm-checkpoint-v1";

    /** Where a run stands: the epoch to continue, the steps of it already done, and the steps of the whole run. */
    record Position(int epoch, int stepInEpoch, long step) {
    }

    private VideoCheckpoint() {}

    static void save(Path file, TsmNetwork net, ClipSgd sgd, Position at) throws IOException {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
            out.writeUTF(MAGIC);
            out.writeUTF(net.toString());
            out.writeInt(at.epoch());
            out.writeInt(at.stepInEpoch());
            out.writeLong(at.step());
            net.saveParameters(out);
            sgd.save(out);
            out.flush();
        });
    }

    /** Loads {@code file} into {@code net} and {@code sgd}; errors name the file and what does not fit. */
    static Position load(Path file, TsmNetwork net, ClipSgd sgd, NDManager manager) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(raw);
            String magic = in.readUTF();
            if (!MAGIC.equals(magic) && !MAGIC_V1.equals(magic)) {
                throw new InvalidInputException(file + ": not a wsbcn TSM checkpoint");
            }
            String described = in.readUTF();
            if (!described.equals(net.toString())) {
                throw new InvalidInputException(file + ": checkpoint is for " + described + ", this run builds " + net);
            }
            Position at = new Position(in.readInt(), in.readInt(), in.readLong());
            net.loadParameters(manager, in);
            // loading replaces the parameter arrays; the new ones need gradients attached again
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            try {
                sgd.load(in, manager, MAGIC.equals(magic));
            } catch (IOException e) {
                throw new InvalidInputException(file + ": optimizer state: " + e.getMessage(), e);
            }
            return at;
        } catch (MalformedModelException e) {
            throw new InvalidInputException(file + ": cannot load checkpoint parameters (" + e.getMessage() + ")", e);
        }
    }
}
