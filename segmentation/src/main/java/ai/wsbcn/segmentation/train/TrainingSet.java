package ai.wsbcn.segmentation.train;

import ai.wsbcn.segmentation.data.SegmentationSample;
import ai.wsbcn.segmentation.data.VocDataset;
import ai.wsbcn.segmentation.data.VocSample;

import java.util.List;

/** Random access to decoded training samples. */
public interface TrainingSet {

    int size();

    SegmentationSample get(int index);

    /** Where sample {@code index}'s label map comes from, for error messages (its file, or its id). */
    default String labelSource(int index) {
        return get(index).id();
    }

    /** Samples decoded from disk on demand. */
    static TrainingSet of(VocDataset dataset) {
        List<VocSample> s = dataset.samples();
        return new TrainingSet() {
            @Override
            public int size() {
                return s.size();
            }

            @Override
            public SegmentationSample get(int index) {
                return s.get(index).load();
            }

            @Override
            public String labelSource(int index) {
                return s.get(index).label().toString();
            }
        };
    }

    /** Samples already in memory. */
    static TrainingSet of(List<SegmentationSample> samples) {
        List<SegmentationSample> copy = List.copyOf(samples);
        return new TrainingSet() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public SegmentationSample get(int index) {
                return copy.get(index);
            }
        };
    }
}
