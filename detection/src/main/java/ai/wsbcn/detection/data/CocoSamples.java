package ai.wsbcn.detection.data;

import ai.wsbcn.detection.coco.CategoryMapping;
import ai.wsbcn.detection.coco.CocoDetection;
import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.util.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Adapts a {@link CocoDetection} data set to the detector's host-side {@link DetectionSample}s: RGB bytes, boxes
 * clipped to the image as x1,y1,x2,y2 pixels, contiguous labels 1..K and (for Mask R-CNN) one row-major 0/1 mask per
 * instance. Works on the host so the loader thread never touches an engine.
 */
public final class CocoSamples {

    private final CocoDetection coco;
    private final boolean masks;

    public CocoSamples(CocoDetection coco, boolean masks) {
        this.coco = coco;
        this.masks = masks;
    }

    /** Opens {@code annotations} with images under {@code imageRoot}; errors name the missing file. */
    public static CocoSamples open(Path imageRoot, Path annotations, boolean masks, boolean skipEmpty) {
        if (!Files.isRegularFile(annotations)) {
            throw new InvalidInputException(annotations + ": annotation file not found");
        }
        if (!Files.isDirectory(imageRoot)) {
            throw new InvalidInputException(imageRoot + ": image folder not found");
        }
        CocoDetection coco = CocoDetection.builder().setAnnotations(annotations).setImageRoot(imageRoot)
                .optIncludeMasks(masks).optSkipEmptyImages(skipEmpty).setSampling(1, false).build();
        return new CocoSamples(coco, masks);
    }

    public CocoDetection coco() {
        return coco;
    }

    public CategoryMapping categories() {
        return coco.categories();
    }

    public int size() {
        return Math.toIntExact(coco.size());
    }

    /** Sample {@code index}: reads the image file and converts its usable annotations. */
    public DetectionSample get(int index) {
        CocoImage im = coco.image(index);
        Path file = coco.imagePath(index);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": image file not found (image id " + im.id() + ", file_name '"
                    + im.fileName() + "')");
        }
        RgbImage rgb = ImageFiles.readRgb(file);
        if (rgb.width() != im.width() || rgb.height() != im.height()) {
            throw new InvalidInputException(file + ": image is " + rgb.width() + "x" + rgb.height()
                    + " but the annotations say width " + im.width() + ", height " + im.height() + " (image id "
                    + im.id() + ")");
        }
        List<CocoAnnotation> anns = coco.annotations(index);
        int n = anns.size();
        int h = im.height();
        int w = im.width();
        float[] boxes = new float[4 * n];
        int[] labels = new int[n];
        byte[][] ms = masks ? new byte[n][] : null;
        for (int j = 0; j < n; j++) {
            CocoAnnotation a = anns.get(j);
            boxes[4 * j] = (float) clamp(a.bbox(0), w);
            boxes[4 * j + 1] = (float) clamp(a.bbox(1), h);
            boxes[4 * j + 2] = (float) clamp(a.bbox(0) + a.bbox(2), w);
            boxes[4 * j + 3] = (float) clamp(a.bbox(1) + a.bbox(3), h);
            labels[j] = coco.categories().label(a.categoryId());
            if (masks) {
                if (a.segmentation() == null) {
                    throw new InvalidInputException(coco.dataset().source() + ": annotation id " + a.id()
                            + " (image id " + im.id() + "): segmentation: missing");
                }
                ms[j] = a.segmentation().toRle(h, w).decodeRowMajor();
            }
        }
        return new DetectionSample(im.id(), rgb.rgb(), h, w, new TargetInstances(boxes, labels, ms, h, w));
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
