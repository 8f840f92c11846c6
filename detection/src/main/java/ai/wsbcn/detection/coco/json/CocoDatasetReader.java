package ai.wsbcn.detection.coco.json;

import com.google.gson.stream.JsonToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an instances JSON file into a {@link CocoDataset}, streaming, with the checks described there. */
final class CocoDatasetReader {

    private static final Logger LOG = LoggerFactory.getLogger(CocoDatasetReader.class);

    private CocoDatasetReader() {}

    static CocoDataset read(Path file) {
        CocoDataset.Builder builder = CocoDataset.builder(file.toString());
        CocoDataset dataset = JsonInput.readFile(file, builder.problems(), in -> readTop(in, builder));
        Problems.log(LOG, dataset.warnings());
        return dataset;
    }

    private static CocoDataset readTop(JsonInput in, CocoDataset.Builder builder) throws IOException {
        List<CocoImage> images = null;
        List<CocoCategory> categories = null;
        List<CocoAnnotation> annotations = null;
        in.beginObject("top level");
        while (in.hasNext()) {
            String name = in.nextName();
            switch (name) {
                case "images":
                    images = readList(in, "images", CocoDatasetReader::readImage);
                    break;
                case "categories":
                    categories = readList(in, "categories", CocoDatasetReader::readCategory);
                    break;
                case "annotations":
                    annotations = readList(in, "annotations", CocoDatasetReader::readAnnotation);
                    break;
                default:
                    in.skipValue();
            }
        }
        in.endObject();
        if (in.peek() != JsonToken.END_DOCUMENT) {
            throw in.problems().error("top level", "unexpected content after the top-level object");
        }
        if (images == null) {
            throw in.problems().error("images", "missing (an instances file needs images, categories and annotations)");
        }
        if (categories == null) {
            throw in.problems().error("categories", "missing (an instances file needs images, categories and"
                    + " annotations)");
        }
        images.forEach(builder::addImage);
        categories.forEach(builder::addCategory);
        if (annotations == null) {
            builder.warn("annotations", "missing; read as an empty list");
        } else {
            annotations.forEach(builder::addAnnotation);
        }
        return builder.build();
    }

    @FunctionalInterface
    private interface EntryReader<T> {
        T read(JsonInput in, String where) throws IOException;
    }

    private static <T> List<T> readList(JsonInput in, String field, EntryReader<T> entry) throws IOException {
        in.beginArray(field);
        List<T> out = new ArrayList<>();
        while (in.hasNext()) {
            out.add(entry.read(in, field + "[" + out.size() + "]"));
        }
        in.endArray();
        return out;
    }

    private static CocoImage readImage(JsonInput in, String where) throws IOException {
        Long id = null;
        String fileName = null;
        Integer width = null;
        Integer height = null;
        in.beginObject(where);
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "id":
                    id = in.id(where, "id");
                    break;
                case "file_name":
                    fileName = in.string(where, "file_name");
                    break;
                case "width":
                    width = in.positiveInt(where, "width");
                    break;
                case "height":
                    height = in.positiveInt(where, "height");
                    break;
                default:
                    in.skipValue();
            }
        }
        in.endObject();
        return new CocoImage(required(in, id, where, "id"), fileName, required(in, width, where, "width"),
                required(in, height, where, "height"));
    }

    private static CocoCategory readCategory(JsonInput in, String where) throws IOException {
        Long id = null;
        String name = null;
        String supercategory = null;
        in.beginObject(where);
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "id":
                    id = in.id(where, "id");
                    break;
                case "name":
                    name = in.string(where, "name");
                    break;
                case "supercategory":
                    supercategory = in.string(where, "supercategory");
                    break;
                default:
                    in.skipValue();
            }
        }
        in.endObject();
        return new CocoCategory(required(in, id, where, "id"), name, supercategory);
    }

    private static CocoAnnotation readAnnotation(JsonInput in, String where) throws IOException {
        EntryFields f = EntryFields.read(in, where, true);
        long annId = required(in, f.id, where, "id");
        String at = where + " (id " + annId + ")";
        if (f.bbox == null) {
            throw in.problems().error(at, f.hasBox ? "bbox: expected 4 numbers, got 0" : "bbox: missing");
        }
        return CocoAnnotation.groundTruth(annId, required(in, f.imageId, at, "image_id"),
                required(in, f.categoryId, at, "category_id"), f.bbox, required(in, f.area, at, "area"),
                required(in, f.crowd, at, "iscrowd"), f.segmentation);
    }

    private static <T> T required(JsonInput in, T value, String where, String field) {
        return EntryFields.required(in, value, where, field);
    }
}
