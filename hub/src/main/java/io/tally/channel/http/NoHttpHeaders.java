package io.tally.channel.http;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * Header filter for POST /api/events: no request header becomes a message header, and no message header becomes a
 * response header. The route needs none of them (the admin token is checked by a servlet filter before it; the
 * status and Content-Type of the answer are set by the binding from their own headers), and copying every request
 * header into the message was a tenth of the route's cost per event.
 */
@Component("noHttpHeaders")
public class NoHttpHeaders implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
