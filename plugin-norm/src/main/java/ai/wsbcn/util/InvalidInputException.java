package ai.wsbcn.util;

/**
 * A user-facing failure caused by bad input (a file, a field, a flag). The message alone must tell the user what is
 * wrong and where: name the file, the index and the field. The command line prints only the message (the stack trace
 * with {@code --verbose}) and exits with status 2.
 */
public class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
