package io.otaprio.peer;

/**
 * The broker could not be reached, refused the credentials, or went away during a run. The message names the
 * broker (password masked) and the cause; {@code otaprio peer-rabbitmq} prints it and exits 1.
 */
public final class BrokerUnavailableException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and where.
     * @param cause   the client's exception, or null.
     */
    public BrokerUnavailableException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
