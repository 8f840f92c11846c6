package ai.wsbcn.video.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import ai.wsbcn.pretrained.data.Normalization;
import ai.wsbcn.pretrained.data.OpenCv;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.video.sampling.TsnSampler;
import ai.wsbcn.video.transforms.ClipTransform;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clips of a {@link VideoList}: TSN sampling of {@code segments} frames, one transform per clip, ImageNet
 * normalisation. A record is the clip {@code (T, 3, S, S)} float32 and its label as a float32 scalar; batches stack
 * to {@code (N, T, 3, S, S)}, which the model reshapes to {@code (N*T, 3, S, S)}.
 *
 * <p>Random draws (frame indices and crop) come from a generator seeded by {@code (seed, epoch, index)}: a clip is the
 * same whatever thread reads it and a resumed run sees the same clips. Call {@link #setEpoch} at each epoch start.
 */
public final class VideoClipDataset extends RandomAccessDataset {

    private final VideoList list;
    private final TsnSampler sampler;
    private final ClipTransform transform;
    private final boolean training;
    private final String template;
    private final Normalization normalization;
    private final long seed;
    private volatile int epoch;

    private VideoClipDataset(Builder b) {
        super(b);
        OpenCv.load();
        this.list = b.list;
        this.sampler = new TsnSampler(b.segments);
        this.training = b.training;
        this.transform = b.transform != null ? b.transform
                : training ? ClipTransform.train(224) : ClipTransform.test(256, 224);
        this.template = b.template != null ? b.template : list.template();
        this.normalization = b.normalization;
        this.seed = b.seed;
        if (list.videos().isEmpty()) {
            throw new InvalidInputException("no usable videos (" + list.skipped().size() + " skipped"
                    + (list.skipped().isEmpty() ? "" : ", first: " + list.skipped().get(0)) + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public VideoList list() {
        return list;
    }

    public int segments() {
        return sampler.segments();
    }

    /** {@code (T, 3, S, S)}. */
    public Shape clipShape() {
        int s = transform.outputSize();
        return new Shape(sampler.segments(), 3, s, s);
    }

    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    public int label(int index) {
        return list.videos().get(index).label();
    }

    /** The 1-based frame numbers clip {@code index} uses in epoch {@code epoch}. */
    public int[] frameIndices(int index, int epoch) {
        VideoRecord v = list.videos().get(index);
        if (training) {
            return sampler.trainIndices(v.numFrames(), new SplittableRandom(sampleSeed(seed, epoch, index)));
        }
        return sampler.testIndices(v.numFrames());
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        float[] data = sample(i, epoch);
        return new Record(new NDList(manager.create(data, clipShape())), new NDList(manager.create((float) label(i))));
    }

    /** Clip {@code index} as seen in epoch {@code epoch}: {@code T*3*S*S} floats, frame-major, normalised. */
    public float[] sample(int index, int epoch) {
        VideoRecord v = list.videos().get(index);
        SplittableRandom random = new SplittableRandom(sampleSeed(seed, epoch, index));
        int[] idx = training ? sampler.trainIndices(v.numFrames(), random) : sampler.testIndices(v.numFrames());
        List<Mat> frames = new ArrayList<>(idx.length);
        List<Mat> out = List.of();
        try {
            for (int f : idx) {
                frames.add(readRgb(FrameFolders.frame(v.frameDir(), template, f), v, f));
            }
            out = transform.apply(frames, random);
            int s = transform.outputSize();
            int plane = s * s;
            float[] data = new float[idx.length * 3 * plane];
            byte[] hwc = new byte[plane * 3];
            for (int t = 0; t < out.size(); t++) {
                Mat m = out.get(t);
                if (m.type() != CvType.CV_8UC3 || !m.isContinuous() || m.rows() != s || m.cols() != s) {
                    throw new IllegalStateException("transform gave " + m + ", expected " + s + "x" + s + " RGB");
                }
                m.get(0, 0, hwc);
                int base = t * 3 * plane;
                for (int c = 0; c < 3; c++) {
                    float[] table = normalization.lookupTable(c);
                    int cb = base + c * plane;
                    for (int p = 0; p < plane; p++) {
                        data[cb + p] = table[hwc[p * 3 + c] & 0xff];
                    }
                }
            }
            return data;
        } finally {
            frames.forEach(Mat::release);
            out.forEach(Mat::release);
        }
    }

    static Mat readRgb(Path file, VideoRecord v, int frame) {
        Mat bgr = ai.wsbcn.pretrained.data.ImageFiles.readBgrAsStored(file);
        if (bgr.empty()) {
            throw new InvalidInputException(file + ": cannot read frame " + frame + " of video " + v.id() + " ("
                    + v.numFrames() + " frames listed)");
        }
        ai.wsbcn.pretrained.data.TruncatedJpegs.warnIfTruncated(file);
        Mat rgb = new Mat();
        Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
        bgr.release();
        return rgb;
    }

    /** A well-mixed seed for one clip's draws (SplitMix64's finaliser over the three inputs). */
    static long sampleSeed(long seed, int epoch, int index) {
        return ai.wsbcn.util.Seeds.sampleSeed(seed, epoch, index);
    }

    @Override
    protected long availableSize() {
        return list.videos().size();
    }

    @Override
    public void prepare(Progress progress) {
        // the video list is read eagerly; frames are decoded on demand
    }

    /**
     * Builder: {@code setList} required; 8 segments; {@code optTraining(true)} (default) uses TSM's training
     * augmentation at 224, {@code false} the test transform 256/224, unless {@code optTransform} says otherwise.
     */
    public static final class Builder extends BaseBuilder<Builder> {
        private VideoList list;
        private int segments = 8;
        private boolean training = true;
        private ClipTransform transform;
        private String template;
        private Normalization normalization = Normalization.IMAGENET;
        private long seed;

        @Override
        protected Builder self() {
            return this;
        }

        public Builder setList(VideoList list) {
            this.list = list;
            return this;
        }

        public Builder optSegments(int segments) {
            this.segments = segments;
            return this;
        }

        /** Random frame per segment and the training transform (true), or centre frames and the test transform. */
        public Builder optTraining(boolean training) {
            this.training = training;
            return this;
        }

        public Builder optTransform(ClipTransform transform) {
            this.transform = transform;
            return this;
        }

        /**
         * File names of frames, a {@code String.format} pattern of the 1-based index (default: the list's
         * {@link VideoList#template()}, the one its frames were counted with).
         */
        public Builder optTemplate(String template) {
            this.template = template;
            return this;
        }

        public Builder optNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public VideoClipDataset build() {
            if (list == null) {
                throw new IllegalArgumentException("setList is required");
            }
            if (sampler == null) {
                setSampling(1, training); // callers that iterate with DJL set their own batch size
            }
            return new VideoClipDataset(this);
        }
    }
}
