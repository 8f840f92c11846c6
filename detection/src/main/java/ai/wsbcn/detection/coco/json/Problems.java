package ai.wsbcn.detection.coco.json;

import ai.wsbcn.util.InvalidInputException;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;

/** Collects the warnings of one file and builds the error messages, all as "source: location: message". */
final class Problems {

    private static final int LOGGED = 10;

    private final String source;
    private final List<CocoWarning> warnings = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    void warn(String location, String message) {
        warnings.add(new CocoWarning(source, location, message));
    }

    InvalidInputException error(String location, String message) {
        return new InvalidInputException(source + ": " + location + ": " + message);
    }

    String describe(String location, String message) {
        return source + ": " + location + ": " + message;
    }

    List<CocoWarning> warnings() {
        return List.copyOf(warnings);
    }

    /** Logs the first few warnings and how many more there are. */
    static void log(Logger log, List<CocoWarning> warnings) {
        for (int i = 0; i < Math.min(LOGGED, warnings.size()); i++) {
            log.warn("{}", warnings.get(i));
        }
        if (warnings.size() > LOGGED) {
            log.warn("... and {} more warnings like these", warnings.size() - LOGGED);
        }
    }
}
