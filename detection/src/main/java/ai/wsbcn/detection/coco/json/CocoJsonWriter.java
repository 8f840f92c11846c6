package ai.wsbcn.detection.coco.json;

import ai.wsbcn.util.AtomicFiles;
import com.google.gson.stream.JsonWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes instances files and results files (atomically), in the form pycocotools reads. */
public final class CocoJsonWriter {

    private CocoJsonWriter() {}

    /** Writes {@code {"images": [...], "annotations": [...], "categories": [...]}}. */
    public static void writeDataset(CocoDataset dataset, Path file) throws IOException {
        write(file, w -> {
            w.beginObject();
            w.name("images").beginArray();
            for (CocoImage im : dataset.images()) {
                w.beginObject().name("id").value(im.id());
                if (im.fileName() != null) {
                    w.name("file_name").value(im.fileName());
                }
                w.name("width").value(im.width()).name("height").value(im.height()).endObject();
            }
            w.endArray();
            w.name("annotations").beginArray();
            for (CocoAnnotation a : dataset.annotations()) {
                w.beginObject().name("id").value(a.id()).name("image_id").value(a.imageId())
                        .name("category_id").value(a.categoryId());
                writeBox(w, a);
                w.name("area").value(a.area()).name("iscrowd").value(a.crowd() ? 1 : 0);
                writeSegmentation(w, a.segmentation());
                w.endObject();
            }
            w.endArray();
            w.name("categories").beginArray();
            for (CocoCategory c : dataset.categories()) {
                w.beginObject().name("id").value(c.id()).name("name").value(c.name())
                        .name("supercategory").value(c.supercategory()).endObject();
            }
            w.endArray();
            w.endObject();
        });
    }

    /** Writes a results list {@code [{"image_id", "category_id", "bbox", "score", "segmentation"?}, ...]}. */
    public static void writeResults(Iterable<CocoAnnotation> detections, Path file) throws IOException {
        write(file, w -> {
            w.beginArray();
            for (CocoAnnotation d : detections) {
                w.beginObject().name("image_id").value(d.imageId()).name("category_id").value(d.categoryId());
                writeBox(w, d);
                w.name("score").value(d.score());
                writeSegmentation(w, d.segmentation());
                w.endObject();
            }
            w.endArray();
        });
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonWriter w) throws IOException;
    }

    private static void write(Path file, Body body) throws IOException {
        AtomicFiles.write(file, out -> {
            JsonWriter w = new JsonWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                    1 << 16));
            body.write(w);
            w.flush();
        });
    }

    private static void writeBox(JsonWriter w, CocoAnnotation a) throws IOException {
        w.name("bbox").beginArray();
        for (int i = 0; i < 4; i++) {
            w.value(a.bbox(i));
        }
        w.endArray();
    }

    private static void writeSegmentation(JsonWriter w, Segmentation s) throws IOException {
        if (s == null || s instanceof Segmentation.Invalid) {
            return;
        }
        w.name("segmentation");
        if (s instanceof Segmentation.Polygons p) {
            w.beginArray();
            for (double[] xy : p.parts()) {
                w.beginArray();
                for (double v : xy) {
                    w.value(v);
                }
                w.endArray();
            }
            w.endArray();
        } else if (s instanceof Segmentation.UncompressedRle u) {
            w.beginObject().name("size").beginArray().value(u.rle().height()).value(u.rle().width()).endArray();
            w.name("counts").beginArray();
            for (int i = 0; i < u.rle().runs(); i++) {
                w.value(u.rle().count(i));
            }
            w.endArray().endObject();
        } else if (s instanceof Segmentation.CompressedRle c) {
            w.beginObject().name("size").beginArray().value(c.height()).value(c.width()).endArray();
            w.name("counts").value(c.counts()).endObject();
        }
    }
}
