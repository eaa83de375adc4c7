package io.tally.event;

/** Input that Tally refuses before storing anything; answered 400 with the message as the reason. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String reason) {
        super(reason);
    }
}
