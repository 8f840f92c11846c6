package ai.wsbcn.detection.coco.json;

import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.util.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code segmentation} of an annotation in one of COCO's three forms, plus {@link Invalid} for one that the reader
 * could not accept (kept so that box evaluation still works; using the mask then fails with the reason).
 */
public sealed interface Segmentation {

    /** The mask as pycocotools' {@code annToRLE} builds it for an image of the given size. */
    Rle toRle(int height, int width);

    /** Polygons {@code [[x0, y0, x1, y1, ...], ...]}; the parts are rasterised one by one and merged (union). */
    record Polygons(List<double[]> parts) implements Segmentation {

        public Polygons {
            parts = List.copyOf(parts);
        }

        @Override
        public Rle toRle(int height, int width) {
            if (parts.size() == 1) {
                return Rle.fromPolygon(parts.get(0), height, width);
            }
            List<Rle> rles = new ArrayList<>(parts.size());
            for (double[] p : parts) {
                rles.add(Rle.fromPolygon(p, height, width));
            }
            return Rle.merge(rles, false);
        }
    }

    /** An RLE with a {@code counts} list; its own {@code size} is used, as pycocotools' frUncompressedRLE does. */
    record UncompressedRle(Rle rle) implements Segmentation {

        @Override
        public Rle toRle(int height, int width) {
            return rle;
        }
    }

    /** An RLE with a {@code counts} string; decoded on use (results files hold many of them). */
    record CompressedRle(int height, int width, String counts) implements Segmentation {

        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return Rle.fromCompressedString(counts, height, width);
        }
    }

    /** A segmentation that failed validation; {@code reason} names the file, entry and field. */
    record Invalid(String reason) implements Segmentation {

        @Override
        public Rle toRle(int height, int width) {
            throw new InvalidInputException(reason);
        }
    }
}
