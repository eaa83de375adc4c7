package io.tally.channel.webhook;

/** A webhook that is not authenticated by the store's secret: 401, nothing stored. */
public class WebhookSignatureException extends RuntimeException {

    public WebhookSignatureException(String message) {
        super(message);
    }
}
