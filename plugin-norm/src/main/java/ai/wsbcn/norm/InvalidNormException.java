package ai.wsbcn.norm;

/**
 * A norm string that does not parse, or a group count that does not divide a layer's channels. It is an
 * {@link IllegalArgumentException} for Java callers; the command line reports it as an error in {@code --norm} (one
 * line, exit status 2), wherever in building or running a model it surfaces.
 */
public class InvalidNormException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidNormException(String message) {
        super(message);
    }
}
