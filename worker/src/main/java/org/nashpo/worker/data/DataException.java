package org.nashpo.worker.data;

/**
 * Input data that cannot be used: a missing, malformed or corrupt CIFAR-10 directory or split file,
 * or a subset the data cannot supply. The message names the file and the problem. An
 * {@link IllegalArgumentException}, so callers map it to the bad-input exit code.
 */
public final class DataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
