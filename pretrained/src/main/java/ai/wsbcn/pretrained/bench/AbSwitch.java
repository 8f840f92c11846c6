package ai.wsbcn.pretrained.bench;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A system property and the two values an A/B run steps the same model under: {@code PROPERTY} alone means
 * {@code true} against {@code false}; {@code PROPERTY=ON,OFF} names the values, for the numeric switches (a size
 * threshold such as {@code wsbcn.norm.fusedGroupAffineMinElements=0,1000000000000}).
 */
public final class AbSwitch {

    private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_.-]+)(?:=([^,]+),([^,]+))?");

    private final String property;
    private final String on;
    private final String off;

    public AbSwitch(String property, String on, String off) {
        this.property = Objects.requireNonNull(property);
        this.on = Objects.requireNonNull(on);
        this.off = Objects.requireNonNull(off);
        if (!FORM.matcher(property).matches() || property.contains("=")) {
            throw new IllegalArgumentException("not a system property name: '" + property + "'");
        }
    }

    /**
     * Parses {@code PROPERTY} or {@code PROPERTY=ON,OFF}.
     *
     * @throws IllegalArgumentException naming the expected forms
     */
    public static AbSwitch parse(String spec) {
        Matcher m = FORM.matcher(spec == null ? "" : spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected PROPERTY or PROPERTY=ON,OFF (e.g. wsbcn.norm.hostWs or"
                    + " wsbcn.norm.fusedGroupAffineMinElements=0,1000000000000), got '" + spec + "'");
        }
        return m.group(2) == null ? new AbSwitch(m.group(1), "true", "false")
                : new AbSwitch(m.group(1), m.group(2).trim(), m.group(3).trim());
    }

    public String property() {
        return property;
    }

    /** The value of the property for the "on" (true) or "off" (false) steps. */
    public String value(boolean isOn) {
        return isOn ? on : off;
    }

    @Override
    public String toString() {
        return "-D" + property + "=" + on + " (on) against " + off + " (off)";
    }
}
