package ai.wsbcn.segmentation.data;

import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.pretrained.data.ImageFiles;
import java.nio.file.Path;

/** One image of a VOC-layout split: its id (file stem), the JPEG and the label PNG. */
public record VocSample(String id, Path image, Path label) {

    /** Decodes the image and its label map and checks that their sizes agree. */
    public SegmentationSample load() {
        RgbImage img = ImageFiles.readRgb(image);
        LabelMap lab = LabelPng.read(label);
        if (img.width() != lab.width() || img.height() != lab.height()) {
            throw new ai.wsbcn.util.InvalidInputException(label + ": label map is " + lab.width() + "x"
                    + lab.height() + " but its image " + image + " is " + img.width() + "x" + img.height());
        }
        return new SegmentationSample(id, img, lab);
    }
}
