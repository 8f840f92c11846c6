package ai.wsbcn.detection.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBaseBlock;
import ai.djl.nn.Block;

import java.lang.reflect.Field;

/**
 * DJL writes every block's input shapes into a parameter file and refuses to save a block that has none. The
 * detector runs its heads on RoI features outside DJL's {@code initialize} path, so those blocks never get them;
 * this gives every such block an empty list before a save.
 */
public final class BlockShapes {

    private BlockShapes() {}

    /** Sets an empty input-shape list on {@code block} and every descendant that has none. */
    public static void fillMissingInputShapes(Block block) {
        if (block instanceof AbstractBaseBlock b) {
            try {
                Field f = AbstractBaseBlock.class.getDeclaredField("inputShapes");
                f.setAccessible(true);
                if (f.get(b) == null) {
                    f.set(b, new Shape[0]);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("DJL's AbstractBaseBlock has no inputShapes field to fill", e);
            }
        }
        for (Block child : block.getChildren().values()) {
            fillMissingInputShapes(child);
        }
    }
}
