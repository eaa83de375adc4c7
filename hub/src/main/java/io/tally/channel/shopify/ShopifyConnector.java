package io.tally.channel.shopify;

import io.tally.connector.ChannelConnector;
import io.tally.connector.ConnectorTraits;
import org.springframework.stereotype.Component;

/** Shopify: pushes compare-and-set the available level (route push-shopify, {@link ShopifyPush}). */
@Component
public class ShopifyConnector implements ChannelConnector {

    public static final String CHANNEL = "shopify";

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public ConnectorTraits traits() {
        return ConnectorTraits.marketplaceComparingAndSetting();
    }
}
