package io.tally.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.channel.amazon.AmazonConnector;
import io.tally.channel.http.HttpChannelConnector;
import io.tally.channel.shopify.ShopifyConnector;
import io.tally.channel.walmart.WalmartConnector;
import io.tally.connector.ChannelConnector;
import io.tally.connector.ConnectorRegistry;
import io.tally.connector.ConnectorTraits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stores name their channel connector; its traits, not the channel's name, answer what core code asks. */
class StoreRegistryTest {

    private static final ConnectorRegistry CONNECTORS = new ConnectorRegistry(
            List.of(new ShopifyConnector(), new AmazonConnector(), new WalmartConnector(), new HttpChannelConnector()));

    private static StoreProperties store(String channel) {
        return new StoreProperties(
                channel,
                StoreProperties.StoreRole.PEER,
                StoreProperties.MatchBy.SKU,
                StoreProperties.BookOn.PAID,
                StoreProperties.RestockOn.REFUND,
                null,
                0,
                null,
                100,
                null,
                null,
                null,
                10,
                null);
    }

    private static StoreRegistry registry(Map<String, StoreProperties> stores) {
        return new StoreRegistry(
                new TallyProperties("t", "m", "h", null, null, null, null, null, null, null, stores), CONNECTORS);
    }

    @Test
    void eachStoreGetsItsConnectorsTraits() {
        StoreRegistry stores = registry(
                Map.of("shop", store("shopify"), "amz", store("amazon"), "wm", store("walmart"), "gen", store("http")));

        assertThat(stores.require("shop").pushComparesAndSets()).isTrue();
        assertThat(stores.require("shop").channelAdjustsOwnLevel()).isTrue();
        for (String absolute : List.of("amz", "wm")) {
            assertThat(stores.require(absolute).pushComparesAndSets())
                    .as(absolute)
                    .isFalse();
            assertThat(stores.require(absolute).channelAdjustsOwnLevel())
                    .as(absolute)
                    .isTrue();
        }
        assertThat(stores.require("gen").pushComparesAndSets()).isFalse();
        assertThat(stores.require("gen").channelAdjustsOwnLevel()).isFalse();
        assertThat(stores.idsOf("walmart")).containsExactly("wm");
        assertThat(stores.isOn("shop", "shopify")).isTrue();
    }

    @Test
    void aChannelIsWrittenInAnyCaseAndDefaultsToHttp() {
        StoreRegistry stores = registry(Map.of("shop", store(" Shopify "), "plain", store(null)));

        assertThat(stores.require("shop").channel()).isEqualTo("shopify");
        assertThat(stores.require("plain").channel()).isEqualTo("http");
    }

    @Test
    void anUnknownChannelNamesTheSettingAndTheChannelsThereAre() {
        assertThatThrownBy(() -> registry(Map.of("shop", store("shopfy"))))
                .isInstanceOf(UnknownChannelException.class)
                .hasMessage("tally.stores.shop.channel is 'shopfy', which is not a channel this hub has a connector"
                        + " for; set it to one of: amazon, http, shopify, walmart");
    }

    @Test
    void twoConnectorsForOneChannelAreRefused() {
        ChannelConnector another = new ChannelConnector() {
            @Override
            public String channel() {
                return "shopify";
            }

            @Override
            public ConnectorTraits traits() {
                return ConnectorTraits.marketplaceSettingAbsoluteLevels();
            }
        };
        assertThatThrownBy(() -> new ConnectorRegistry(List.of(new ShopifyConnector(), another)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two connectors for channel 'shopify'");
    }
}
