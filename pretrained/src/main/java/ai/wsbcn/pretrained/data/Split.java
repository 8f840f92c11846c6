package ai.wsbcn.pretrained.data;

/** The two parts of an MNIST-style data set, by the prefix of their IDX file names. */
public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String filePrefix;

    Split(String filePrefix) {
        this.filePrefix = filePrefix;
    }

    /** {@code train} or {@code t10k}, as in {@code train-images-idx3-ubyte}. */
    public String filePrefix() {
        return filePrefix;
    }
}
