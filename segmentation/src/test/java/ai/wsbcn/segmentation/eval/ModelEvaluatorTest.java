package ai.wsbcn.segmentation.eval;

import ai.wsbcn.segmentation.data.VocDataset;
import ai.wsbcn.segmentation.data.synthetic.SyntheticVoc;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelEvaluatorTest {

    /** {@code --pred-dir VOC2012/SegmentationClass} would replace each label by its prediction: refused first. */
    @Test
    void refusesToWritePredictionsOverTheLabels(@TempDir Path root) throws IOException {
        SyntheticVoc.builder().optImageSize(24, 16).optImagesPerSplit(1, 2).build().write(root);
        VocDataset val = VocDataset.builder().setRoot(root).setSplit("val").build();
        Path label = val.samples().get(0).label();
        byte[] before = Files.readAllBytes(label);
        // the same folder spelled another way, through a link
        Path link = Files.createSymbolicLink(root.resolve("preds"), root.resolve("SegmentationClass"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ModelEvaluator.evaluate(null, val.samples(), 6, link, null));
        assertTrue(e.getMessage().startsWith(link + ": is the folder of the ground-truth labels"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(label));
    }
}
