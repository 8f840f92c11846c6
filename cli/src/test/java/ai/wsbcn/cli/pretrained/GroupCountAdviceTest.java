package ai.wsbcn.cli.pretrained;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.norm.NormSpec;

import org.junit.jupiter.api.Test;

/**
 * The import's note on group counts: an ImageNet ResNet's 64-channel layers get min(32, 64/4) = 16 groups from a
 * plain gn/bcn, while detectron2, mmdetection and the official WS/BCN code use 32 (a GN checkpoint of theirs would
 * load and compute something else).
 */
class GroupCountAdviceTest {

    @Test
    void plainGnOrBcnOnAnImageNetResNetGetsTheAdvice() {
        String a = PretrainedImportCommand.groupCountAdvice("resnet50", NormSpec.parse("gn+ws"));
        assertTrue(a != null && a.contains("16 groups") && a.contains("--norm gn(32)+ws"), a);
        String b = PretrainedImportCommand.groupCountAdvice("resnet18", NormSpec.parse("bcn"));
        assertTrue(b != null && b.contains("--norm bcn(32)"), b);
        String c = PretrainedImportCommand.groupCountAdvice("resnet50", NormSpec.parse("gn+ws(std)"));
        assertTrue(c != null && c.contains("--norm gn(32)+ws(std)"), "the WS convention is kept: " + c);
    }

    @Test
    void noAdviceWhereNothingCanDiffer() {
        assertNull(PretrainedImportCommand.groupCountAdvice("resnet50", NormSpec.parse("gn(32)+ws")), "count given");
        assertNull(PretrainedImportCommand.groupCountAdvice("resnet50", NormSpec.parse("frozen-bn")), "no groups");
        assertNull(PretrainedImportCommand.groupCountAdvice("resnet8", NormSpec.parse("gn+ws")), "wsbcn's own");
        assertNull(PretrainedImportCommand.groupCountAdvice(null, NormSpec.parse("gn+ws")), "no architecture");
    }
}
