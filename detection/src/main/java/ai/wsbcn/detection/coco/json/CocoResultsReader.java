package ai.wsbcn.detection.coco.json;

import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a results JSON file (a list of detections) into {@link CocoResults}, streaming. */
final class CocoResultsReader {

    private CocoResultsReader() {}

    static CocoResults read(Path file, CocoDataset groundTruth) {
        CocoResults.Builder builder = CocoResults.builder(groundTruth, file.toString());
        return JsonInput.readFile(file, builder.problems(), in -> {
            in.beginArray("top level (a results file is a list of detections)");
            for (int i = 0; in.hasNext(); i++) {
                readEntry(in, "results[" + i + "]", builder);
            }
            in.endArray();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw in.problems().error("top level", "unexpected content after the list of results");
            }
            return builder.build();
        });
    }

    private static void readEntry(JsonInput in, String where, CocoResults.Builder builder) throws IOException {
        EntryFields f = EntryFields.read(in, where, false);
        long imageId = EntryFields.required(in, f.imageId, where, "image_id");
        long categoryId = EntryFields.required(in, f.categoryId, where, "category_id");
        double score = EntryFields.required(in, f.score, where, "score");
        builder.add(imageId, categoryId, f.bbox, score, f.segmentation);
    }
}
