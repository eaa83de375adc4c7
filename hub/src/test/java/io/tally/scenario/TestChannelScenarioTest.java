package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.TallyApplication;
import io.tally.connector.PushCommand;
import io.tally.connector.testchannel.TestChannelConnector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A channel added without touching a core file: store {@code tc} is on channel {@code test}, a connector and a push
 * route that exist only in the tests. Its pushes go through the same routes as every channel's (push-request,
 * push-listing, push-attempt, then the fan-out to direct:push-test), are confirmed, and are counted by channel.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestChannelScenarioTest.TestChannel.class)
class TestChannelScenarioTest extends ChannelScenarioBase {

    @TestConfiguration
    static class TestChannel {
        @Bean("testChannel")
        TestChannelConnector testChannel() {
            return new TestChannelConnector();
        }
    }

    @DynamicPropertySource
    static void tallyProperties(DynamicPropertyRegistry r) {
        hubDefaults(r, "testchannel", 2);
        r.add(
                "camel.main.routes-include-pattern",
                () -> "file:routes/**/*.yaml,classpath:testchannel/push-test.camel.yaml");
        r.add("tally.stores.tc.channel", () -> "test");
        r.add("tally.stores.tc.safety-stock", () -> "1");
    }

    @Autowired
    TestChannelConnector channel;

    @Autowired
    MeterRegistry meters;

    @Override
    Duration quietWindow() {
        return Duration.ofSeconds(2);
    }

    @Test
    void aStoreOnANewChannelGetsItsLevelsPushedThroughTheSameRoutes() {
        api.declare("tc", "TC-MUG", Map.of("sku", "TC-MUG", "level", 12));
        awaitOnHand("tc-mug", 12);
        // The safety stock of 1 is held back: the target 11 reaches the channel and the listing is in sync.
        eventually(() -> assertThat(channel.level("tc", "TC-MUG")).isEqualTo(11L));
        eventually(() ->
                assertThat(api.listing("tc", "TC-MUG").path("state").asText()).isEqualTo("in_sync"));

        api.post("/api/items/tc-mug/adjustments", Map.of("delta", -4, "reason", "count"));
        eventually(() -> assertThat(channel.level("tc", "TC-MUG")).isEqualTo(7L));
        eventually(
                () -> assertThat(api.listing("tc", "TC-MUG").path("lastPushed").asLong())
                        .isEqualTo(7L));

        PushCommand last = channel.pushes().get(channel.pushes().size() - 1);
        assertThat(last.channel()).isEqualTo("test");
        // An absolute set: the planner carries nothing over it (the connector's traits, not its name, decide).
        assertThat(last.selfAdjusting()).isFalse();
        assertThat(meters.find("tally.pushes")
                        .tags("store", "tc", "channel", "test", "result", "confirmed")
                        .counter())
                .isNotNull()
                .satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(2));
        assertThat(api.deadLetters()).noneMatch(d -> d.path("store").asText().equals("tc"));
    }
}
