package ai.wsbcn.detection.coco.json;

/** An entry of {@code categories}. */
public record CocoCategory(long id, String name, String supercategory) {

    public CocoCategory {
        name = name == null ? "" : name;
        supercategory = supercategory == null ? "" : supercategory;
    }
}
