package ai.wsbcn.video.data.synthetic;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Record;
import ai.wsbcn.video.data.SomethingSomething;
import ai.wsbcn.video.data.VideoClipDataset;
import ai.wsbcn.video.data.VideoList;
import ai.wsbcn.video.transforms.ClipTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's layout (read back by the Something-Something readers) and that each class moves as named. */
class SyntheticMotionTest {

    @TempDir
    Path root;

    @Test
    void writesReadableSomethingSomethingLayout() throws IOException {
        SyntheticMotion gen = SyntheticMotion.builder().optFrameSize(40, 32).optFrames(10).optVideos(14, 7)
                .optSeed(3).build();
        gen.write(root);
        VideoList train = SomethingSomething.read(root, SomethingSomething.Split.TRAIN);
        VideoList val = SomethingSomething.read(root, SomethingSomething.Split.VALIDATION);
        assertEquals(SyntheticMotion.classes(), train.classes());
        assertEquals(14, train.size());
        assertEquals(7, val.size());
        assertTrue(train.skipped().isEmpty() && val.skipped().isEmpty());
        int[] perClass = new int[7];
        train.videos().forEach(v -> perClass[v.label()]++);
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2}, perClass);
        assertEquals(10, val.videos().get(0).numFrames());
        assertEquals("15", val.videos().get(0).id());

        VideoClipDataset ds = VideoClipDataset.builder().setList(train).optSegments(8).optTraining(true)
                .optTransform(ClipTransform.train(24)).optSeed(1).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Record r = ds.get(m, 3);
            assertArrayEquals(new long[] {8, 3, 24, 24}, r.getData().singletonOrThrow().getShape().getShape());
            assertEquals(3f, r.getLabels().singletonOrThrow().getFloat());
        }
        assertArrayEquals(ds.sample(5, 2), ds.sample(5, 2), 0f, "same (epoch, index) must give the same clip");
    }

    @Test
    void eachClassMovesAsNamed() {
        SyntheticMotion gen = SyntheticMotion.builder().optFrameSize(64, 48).optFrames(8).optVideos(70, 0)
                .optSeed(9).build();
        for (int i = 0; i < 70; i++) {
            Motion motion = gen.motion(SomethingSomething.Split.TRAIN, i);
            List<Mat> clip = gen.render(SomethingSomething.Split.TRAIN, i);
            double[] first = blob(clip.get(0), clip.get(0));
            double[] last = blob(clip.get(7), clip.get(0));
            double dx = last[0] - first[0];
            double dy = last[1] - first[1];
            double grow = last[2] / first[2];
            String what = motion + " clip " + i + ": dx " + dx + " dy " + dy + " area x" + grow;
            switch (motion) {
                case LEFT_TO_RIGHT: assertTrue(dx > 10 && Math.abs(dy) < 3, what); break;
                case RIGHT_TO_LEFT: assertTrue(dx < -10 && Math.abs(dy) < 3, what); break;
                case UP: assertTrue(dy < -8 && Math.abs(dx) < 3, what); break;
                case DOWN: assertTrue(dy > 8 && Math.abs(dx) < 3, what); break;
                case APPROACHING: assertTrue(grow > 1.8, what); break; // radius x1.6-2.2: area x2.56+ (edges blur it)
                case RECEDING: assertTrue(grow < 0.55, what); break;
                default: assertTrue(Math.abs(dx) < 1 && Math.abs(dy) < 1 && Math.abs(grow - 1) < 0.1, what);
            }
            clip.forEach(Mat::release);
        }
    }

    /** Centroid and area of the pixels far from the background colour (the median-ish corner pixel). */
    private static double[] blob(Mat img, Mat reference) {
        byte[] px = new byte[img.rows() * img.cols() * 3];
        img.get(0, 0, px);
        byte[] ref = new byte[3];
        reference.get(0, 0, ref); // corner 0,0 of the first frame: background (shapes keep off the border)
        double sx = 0;
        double sy = 0;
        double n = 0;
        for (int y = 0; y < img.rows(); y++) {
            for (int x = 0; x < img.cols(); x++) {
                int p = (y * img.cols() + x) * 3;
                int d = 0;
                for (int c = 0; c < 3; c++) {
                    d += Math.abs((px[p + c] & 0xff) - (ref[c] & 0xff));
                }
                if (d > 80) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new double[] {sx / n, sy / n, n};
    }
}
