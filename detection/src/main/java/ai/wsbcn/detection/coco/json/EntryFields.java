package ai.wsbcn.detection.coco.json;

import java.io.IOException;

/**
 * The fields of one {@code annotations} entry or one results entry as read from JSON ({@code null} when absent).
 * Results entries ignore {@code id}, {@code area} and {@code iscrowd}, as pycocotools' loadRes overwrites them.
 */
final class EntryFields {

    Long id;
    Long imageId;
    Long categoryId;
    double[] bbox;
    boolean hasBox;
    Double area;
    Boolean crowd;
    Double score;
    Segmentation segmentation;

    private EntryFields() {}

    static EntryFields read(JsonInput in, String where, boolean groundTruth) throws IOException {
        EntryFields f = new EntryFields();
        in.beginObject(where);
        while (in.hasNext()) {
            String name = in.nextName();
            switch (groundTruth ? name : resultsName(name)) {
                case "id":
                    f.id = in.id(where, "id");
                    break;
                case "image_id":
                    f.imageId = in.id(where, "image_id");
                    break;
                case "category_id":
                    f.categoryId = in.id(where, "category_id");
                    break;
                case "bbox":
                    f.bbox = in.box(where);
                    f.hasBox = true;
                    break;
                case "area":
                    f.area = in.number(where, "area");
                    break;
                case "iscrowd":
                    f.crowd = in.crowd(where);
                    break;
                case "score":
                    f.score = in.number(where, "score");
                    break;
                case "segmentation":
                    f.segmentation = in.segmentation(where);
                    break;
                default:
                    in.skipValue();
            }
        }
        in.endObject();
        return f;
    }

    private static String resultsName(String name) {
        return name.equals("id") || name.equals("area") || name.equals("iscrowd") ? "" : name;
    }

    /** The value, or an error naming the entry and the field. */
    static <T> T required(JsonInput in, T value, String where, String field) {
        if (value == null) {
            throw in.problems().error(where, field + ": missing");
        }
        return value;
    }
}
