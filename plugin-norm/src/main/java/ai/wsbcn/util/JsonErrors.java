package ai.wsbcn.util;

/**
 * Gson's parse errors for a user: where the JSON broke ({@code at line 3 column 7 path $.images[0]}), without the
 * advice meant for the programmer (how to make the reader lenient, a link to Gson's troubleshooting page).
 */
public final class JsonErrors {

    private JsonErrors() {}

    public static String describe(Throwable e) {
        String m = String.valueOf(e.getMessage());
        m = m.replaceAll("Use JsonReader\\.set\\w+\\([^)]*\\) to accept malformed JSON", "malformed JSON");
        m = m.replaceAll("\\s*See https?://\\S+", "");
        return m.strip();
    }
}
