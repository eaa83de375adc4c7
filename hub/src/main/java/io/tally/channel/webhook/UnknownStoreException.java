package io.tally.channel.webhook;

/** A webhook for a store Tally does not have, or not of that channel: 404. */
public class UnknownStoreException extends RuntimeException {

    public UnknownStoreException(String message) {
        super(message);
    }
}
