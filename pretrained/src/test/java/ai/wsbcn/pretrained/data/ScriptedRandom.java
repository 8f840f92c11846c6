package ai.wsbcn.pretrained.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** A generator that returns scripted doubles and ints, to check the arithmetic that follows each draw. */
final class ScriptedRandom implements RandomGenerator {

    private final Deque<Double> doubles = new ArrayDeque<>();
    private final Deque<Integer> ints = new ArrayDeque<>();

    ScriptedRandom withDoubles(double... values) {
        for (double v : values) {
            doubles.add(v);
        }
        return this;
    }

    ScriptedRandom withInts(int... values) {
        for (int v : values) {
            ints.add(v);
        }
        return this;
    }

    @Override
    public double nextDouble() {
        return doubles.remove();
    }

    @Override
    public int nextInt(int bound) {
        int v = ints.remove();
        if (v >= bound) {
            throw new IllegalStateException("scripted " + v + " >= bound " + bound);
        }
        return v;
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("not scripted");
    }
}
