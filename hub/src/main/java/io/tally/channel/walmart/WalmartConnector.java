package io.tally.channel.walmart;

import io.tally.connector.ChannelConnector;
import io.tally.connector.ConnectorTraits;
import org.springframework.stereotype.Component;

/** Walmart Marketplace: pushes set an absolute level at the default ship node (route push-walmart, {@link WalmartPush}). */
@Component
public class WalmartConnector implements ChannelConnector {

    public static final String CHANNEL = "walmart";

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public ConnectorTraits traits() {
        return ConnectorTraits.marketplaceSettingAbsoluteLevels();
    }
}
