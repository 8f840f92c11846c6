package ai.wsbcn.pretrained.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/** The real data set, when Debian's {@code dataset-fashion-mnist} package is installed (CI installs it). */
class FashionMnistInstalledTest {

    @Test
    void loadsBothSplitsWithBalancedClassesAndUnitStatistics() {
        assumeTrue(MnistLayout.isComplete(MnistLayout.SYSTEM_FASHION_MNIST),
                "Fashion-MNIST not installed at " + MnistLayout.SYSTEM_FASHION_MNIST);
        try (NDManager m = NDManager.newBaseManager()) {
            int[][] expected = {{60000, 6000}, {10000, 1000}};
            for (Split split : Split.values()) {
                try (InMemoryClassificationSet set = MnistDatasets.load(m, MnistLayout.SYSTEM_FASHION_MNIST, split,
                        Normalization.FASHION_MNIST)) {
                    int n = expected[split.ordinal()][0];
                    assertEquals(new Shape(n, 1, 28, 28), set.images().getShape());
                    int[] perClass = new int[10];
                    for (int i = 0; i < set.size(); i++) {
                        perClass[set.label(i)]++;
                    }
                    for (int c = 0; c < 10; c++) {
                        assertEquals(expected[split.ordinal()][1], perClass[c], split + " class " + c);
                    }
                    if (split == Split.TRAIN) {
                        // the constants 0.2860 / 0.3530 are the training set's pixel mean and std
                        NDArray x = set.images();
                        float mean = x.mean().getFloat();
                        float std = x.sub(mean).square().mean().sqrt().getFloat();
                        assertEquals(0f, mean, 1e-3f, "normalised mean");
                        assertEquals(1f, std, 1e-3f, "normalised std");
                    }
                }
            }
        }
    }
}
