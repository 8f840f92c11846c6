package ai.wsbcn.detection.coco;

import ai.wsbcn.detection.coco.json.CocoCategory;
import ai.wsbcn.detection.coco.json.CocoDataset;

import java.util.Arrays;
import java.util.List;

/**
 * Contiguous training labels {@code 1..K} for COCO category ids (which have gaps: 1..90 for COCO's 80), in ascending
 * id order; label 0 is left for the background. Immutable.
 */
public final class CategoryMapping {

    private final long[] ids;
    private final String[] names;

    private CategoryMapping(long[] ids, String[] names) {
        this.ids = ids;
        this.names = names;
    }

    public static CategoryMapping of(CocoDataset dataset) {
        return of(dataset.categories());
    }

    public static CategoryMapping of(List<CocoCategory> categories) {
        CocoCategory[] sorted = categories.stream().sorted((a, b) -> Long.compare(a.id(), b.id()))
                .toArray(CocoCategory[]::new);
        long[] ids = new long[sorted.length];
        String[] names = new String[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            ids[i] = sorted[i].id();
            names[i] = sorted[i].name();
        }
        return new CategoryMapping(ids, names);
    }

    /** Number of categories K (labels are 1..K). */
    public int size() {
        return ids.length;
    }

    /** The label of a category id. */
    public int label(long categoryId) {
        int i = Arrays.binarySearch(ids, categoryId);
        if (i < 0) {
            throw new IllegalArgumentException("unknown category id " + categoryId);
        }
        return i + 1;
    }

    /** Whether {@code categoryId} has a label. */
    public boolean contains(long categoryId) {
        return Arrays.binarySearch(ids, categoryId) >= 0;
    }

    /** The category id of a label in 1..K. */
    public long categoryId(int label) {
        return ids[checked(label)];
    }

    /** The category name of a label in 1..K. */
    public String name(int label) {
        return names[checked(label)];
    }

    /** Names in label order (index 0 is label 1). */
    public List<String> names() {
        return List.of(names);
    }

    private int checked(int label) {
        if (label < 1 || label > ids.length) {
            throw new IllegalArgumentException("label " + label + " is outside 1.." + ids.length);
        }
        return label - 1;
    }
}
