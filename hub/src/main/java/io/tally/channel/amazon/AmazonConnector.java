package io.tally.channel.amazon;

import io.tally.connector.ChannelConnector;
import io.tally.connector.ConnectorTraits;
import org.springframework.stereotype.Component;

/** Amazon SP-API: pushes set an absolute merchant-fulfilled quantity (route push-amazon, {@link AmazonPush}). */
@Component
public class AmazonConnector implements ChannelConnector {

    public static final String CHANNEL = "amazon";

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public ConnectorTraits traits() {
        return ConnectorTraits.marketplaceSettingAbsoluteLevels();
    }
}
