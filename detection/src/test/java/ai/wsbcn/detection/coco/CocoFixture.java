package ai.wsbcn.detection.coco;

import ai.wsbcn.detection.coco.eval.CocoEvalResult;
import ai.wsbcn.detection.coco.eval.CocoEvaluator;
import ai.wsbcn.detection.coco.eval.IouType;
import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoCategory;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.detection.coco.json.CocoResults;
import ai.wsbcn.detection.coco.json.Segmentation;

import java.util.ArrayList;
import java.util.List;

/** Small ground truths and detections written in a test, with box-polygon masks. */
public final class CocoFixture {

    private final CocoDataset.Builder gt = CocoDataset.builder("test-gt.json");
    private final List<Object[]> dets = new ArrayList<>();
    private long nextAnnId = 1;

    public CocoFixture image(long id, int width, int height) {
        gt.addImage(new CocoImage(id, id + ".png", width, height));
        return this;
    }

    public CocoFixture category(long id) {
        gt.addCategory(new CocoCategory(id, "cat" + id, "test"));
        return this;
    }

    /** A ground-truth box whose area field is {@code w * h}. */
    public CocoFixture gt(long image, long category, double x, double y, double w, double h) {
        return gt(nextAnnId, image, category, x, y, w, h, w * h, false);
    }

    public CocoFixture crowd(long image, long category, double x, double y, double w, double h) {
        return gt(nextAnnId, image, category, x, y, w, h, w * h, true);
    }

    public CocoFixture gt(long id, long image, long category, double x, double y, double w, double h, double area,
            boolean crowd) {
        double[] poly = {x, y, x + w, y, x + w, y + h, x, y + h};
        gt.addAnnotation(CocoAnnotation.groundTruth(id, image, category, new double[] {x, y, w, h}, area, crowd,
                new Segmentation.Polygons(List.of(poly))));
        nextAnnId = Math.max(nextAnnId, id + 1);
        return this;
    }

    public CocoFixture det(long image, long category, double score, double x, double y, double w, double h) {
        dets.add(new Object[] {image, category, score, new double[] {x, y, w, h}});
        return this;
    }

    public CocoDataset groundTruth() {
        return gt.build();
    }

    /** Builds both and evaluates. */
    public CocoEvalResult evaluate(IouType type) {
        CocoDataset g = gt.build();
        CocoResults.Builder rb = CocoResults.builder(g, "test-dt.json");
        for (Object[] d : dets) {
            rb.add((long) d[0], (long) d[1], (double[]) d[3], (double) d[2]);
        }
        return CocoEvaluator.builder().setGroundTruth(g).setResults(rb.build()).setIouType(type).build().run();
    }
}
