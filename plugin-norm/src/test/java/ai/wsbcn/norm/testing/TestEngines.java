package ai.wsbcn.norm.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.util.stream.Stream;

/**
 * The engines every engine-neutral test runs on. Use as a JUnit 5 {@code @MethodSource}:
 * {@code @ParameterizedTest @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")}.
 */
public final class TestEngines {

    public static final String MXNET = "MXNet";
    public static final String PYTORCH = "PyTorch";

    private TestEngines() {}

    /** Engine names, MXNet (the default engine) first. */
    public static Stream<String> names() {
        return Stream.of(MXNET, PYTORCH);
    }

    /** A fresh base manager on the named engine; close it when the test ends. */
    public static NDManager manager(String engineName) {
        return Engine.getEngine(engineName).newBaseManager();
    }
}
