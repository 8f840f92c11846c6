package ai.wsbcn.detection.coco.eval;

import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoResults;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A random problem with crowd regions, RLE and polygon ground truth, an {@code ignore} field, score ties and
 * detections of an unknown category (resources {@code coco/pycocotools-case}). The expected numbers were printed by
 * pycocotools 2.0.11 (COCO(gt).loadRes(dt), COCOeval(...).evaluate(); accumulate(); summarize(), then
 * {@code repr(E.stats)}); they must match bit for bit.
 */
class PycocotoolsCaseTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PycocotoolsCaseTest.class.getResource("/coco/pycocotools-case/" + name).toURI());
    }

    private static CocoEvalResult evaluate(String dt, IouType type) throws URISyntaxException {
        CocoDataset gt = CocoDataset.read(resource("gt.json"));
        CocoResults res = CocoResults.read(resource(dt), gt);
        return CocoEvaluator.builder().setGroundTruth(gt).setResults(res).setIouType(type).build().run();
    }

    @Test
    void boxes() throws Exception {
        CocoEvalResult r = evaluate("dt_box.json", IouType.BBOX);
        assertArrayEquals(new double[] {0.12514430014430014, 0.3717085994313717, 0.0748074807480748,
            0.09224422442244225, 0.3356203834669181, 0.5343234323432343, 0.049999999999999996, 0.31666666666666665,
            0.31666666666666665, 0.13333333333333333, 0.4722222222222222, 0.5333333333333333}, r.stats(), 0.0);
        assertEquals(List.of(
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.125",
                " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.372",
                " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.075",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.092",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.336",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.534",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.050",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.317",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.317",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.133",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.472",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.533"),
                r.summaryLines());
    }

    @Test
    void masksWithBoxResultsTakeTheAreaFromTheBox() throws Exception {
        CocoEvalResult r = evaluate("dt_box.json", IouType.SEGM);
        assertArrayEquals(new double[] {0.00826082608260826, 0.0452045204520452, 0.0, 0.0, 0.06853685368536852,
            0.06666666666666665, 0.0, 0.03055555555555555, 0.03055555555555555, 0.0, 0.07777777777777777,
            0.06666666666666667}, r.stats(), 0.0);
    }

    @Test
    void masksWithMaskOnlyResultsTakeTheAreaFromTheMask() throws Exception {
        // the same detections without "bbox": only APm changes (0.0685... above), through the area ranges
        CocoEvalResult r = evaluate("dt_segm.json", IouType.SEGM);
        assertArrayEquals(new double[] {0.00826082608260826, 0.0452045204520452, 0.0, 0.0, 0.07227722772277226,
            0.06666666666666665, 0.0, 0.03055555555555555, 0.03055555555555555, 0.0, 0.07777777777777777,
            0.06666666666666667}, r.stats(), 0.0);
        assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.072",
                r.summaryLines().get(4));
    }
}
