package io.tally.channel.http;

import io.tally.connector.ChannelConnector;
import io.tally.connector.ConnectorTraits;
import org.springframework.stereotype.Component;

/** The generic http channel (contract C2): it shows only what Tally pushes (route push-http, {@link HttpChannelPush}). */
@Component
public class HttpChannelConnector implements ChannelConnector {

    public static final String CHANNEL = "http";

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public ConnectorTraits traits() {
        return ConnectorTraits.showsOnlyWhatTallyPushes();
    }
}
