package ai.wsbcn.detection.model;

import ai.wsbcn.norm.InvalidNormException;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 5's defaults, JSON round trip, automatic freeze-at, validation. */
class DetectorConfigTest {

    @Test
    void defaultsAreTheIssues() {
        DetectorConfig c = DetectorConfig.builder().build();
        assertEquals(2000, c.rpnPreNmsTopN(true));
        assertEquals(1000, c.rpnPostNmsTopN(true));
        assertEquals(1000, c.rpnPreNmsTopN(false));
        assertEquals(1000, c.rpnPostNmsTopN(false));
        assertEquals(0.7f, c.rpnNmsThresh());
        assertEquals(256, c.rpnBatchSizePerImage());
        assertEquals(0.5f, c.rpnPositiveFraction());
        assertEquals(512, c.boxBatchSizePerImage());
        assertEquals(0.25f, c.boxPositiveFraction());
        assertArrayEquals(new float[] {10, 10, 5, 5}, c.boxRegWeights());
        assertEquals(1f / 9f, c.smoothL1Beta());
        assertEquals(0.05f, c.boxScoreThresh());
        assertEquals(0.5f, c.boxNmsThresh());
        assertEquals(100, c.detectionsPerImage());
        assertEquals(7, c.boxPoolSize());
        assertEquals(14, c.maskPoolSize());
        assertEquals(2, c.samplingRatio());
        assertEquals(4, c.headConvs());
        assertEquals(1024, c.representationSize());
        assertEquals(256, c.fpnChannels());
        assertArrayEquals(new int[] {800}, c.minSizes());
        assertEquals(1333, c.maxSize());
        assertTrue(c.masks());
    }

    @Test
    void freezeAtIsAutomaticPerNorm() {
        assertEquals(2, DetectorConfig.builder().setNorm("frozen-bn").build().freezeAt());
        assertEquals(0, DetectorConfig.builder().setNorm("gn+ws").build().freezeAt());
        assertEquals(1, DetectorConfig.builder().setNorm("gn+ws").optFreezeAt(1).build().freezeAt());
    }

    @Test
    void jsonRoundTrip() {
        DetectorConfig c = DetectorConfig.builder().setArch("resnet18").setNorm("bcn(16)+ws").setNumClasses(5)
                .optMasks(false).optWidth(16).optStemChannels(16).optRpnTopN(600, 300, 500, 200)
                .optMinSizes(320, 352).optMaxSize(512).build();
        DetectorConfig back = DetectorConfig.fromJson(c.toJson());
        assertEquals(c.toJson(), back.toJson());
        assertEquals("bcn(16)+ws", back.norm().toString());
        assertFalse(back.masks());
        assertEquals(300, back.rpnPostNmsTopN(true));
        assertArrayEquals(new int[] {320, 352}, back.minSizes());
        assertEquals(c.toJson(), c.toBuilder().build().toJson());
    }

    @Test
    void invalidInputIsReported() {
        // a norm string's error is the norm plugin's own, which the command line reports as --norm's
        assertThrows(InvalidNormException.class, () -> DetectorConfig.builder().setNorm("nope"));
        assertThrows(InvalidInputException.class, () -> DetectorConfig.builder().setNumClasses(0).build());
        assertThrows(InvalidInputException.class, () -> DetectorConfig.fromJson("{\"numClasses\": \"x\"}"));
    }
}
