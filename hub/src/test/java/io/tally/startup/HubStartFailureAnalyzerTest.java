package io.tally.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.policy.UnknownChannelException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class HubStartFailureAnalyzerTest {

    @Test
    void aStoreOnAChannelWithoutConnectorIsReportedAsItsOwnMessage() {
        UnknownChannelException unknown = new UnknownChannelException("shop", "shopfy", List.of("http", "shopify"));
        FailureAnalysis analysis = new HubStartFailureAnalyzer()
                .analyze(new BeanCreationException("storeRegistry", "Failed to instantiate", unknown));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .isEqualTo("tally.stores.shop.channel is 'shopfy', which is not a channel"
                        + " this hub has a connector for; set it to one of: http, shopify");
    }
}
