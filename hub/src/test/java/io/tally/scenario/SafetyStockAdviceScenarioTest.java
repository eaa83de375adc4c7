package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** A store's suggested safety stock comes from its measured sync lag and the busiest sale rate, next to its own. */
class SafetyStockAdviceScenarioTest extends ScenarioBase {

    @Test
    void theSuggestionIsTheSalesExpectedDuringTheMeasuredLagOfTheStore() {
        declare("inv-a", "ssa-1", "sku", "ssa-1", "level", 50);
        declare("inv-b", "ssa-1", "sku", "ssa-1");
        awaitPushed("inv-b", "ssa-1", 50);
        // Six sales on inv-a, each one pushed to inv-b before the next: six measured lags.
        for (int i = 1; i <= 6; i++) {
            api.accepted(Ev.sale("inv-a").sku("ssa-1").qty(1).order("ssa-o" + i, "l1"));
            awaitPushed("inv-b", "ssa-1", 50 - i);
        }

        eventually(() -> {
            JsonNode advice = api.get("/api/stores/inv-b/safety-stock").json();
            assertThat(advice.path("samples").asLong()).as("%s", advice).isGreaterThanOrEqualTo(6);
        });
        JsonNode advice = api.get("/api/stores/inv-b/safety-stock?days=1").json();
        System.out.println("safety-stock advice for inv-b: " + advice); // the measured figures, for the record
        double lag = advice.path("syncLagSecondsP95").asDouble();
        long perHour = advice.path("peakSalesPerHour").asLong();
        assertThat(advice.path("configuredSafetyStock").asInt()).isZero();
        assertThat(lag).as("%s", advice).isGreaterThan(0).isLessThan(WAIT.toSeconds());
        assertThat(perHour)
                .as("this test sold 6 units of one item within the hour, or two hours")
                .isGreaterThanOrEqualTo(3);
        double expected = advice.path("expectedSalesDuringLag").asDouble();
        assertThat(expected).isCloseTo(perHour * lag / 3600.0, within(0.002));
        long suggested = advice.path("suggestedSafetyStock").asLong();
        assertThat(suggested).isEqualTo(expected < 0.1 ? 0 : (long) Math.ceil(expected));

        assertThat(api.get("/api/stores/no-such-store/safety-stock").status()).isEqualTo(404);
        assertThat(api.get("/api/stores/inv-b/safety-stock?days=0").status()).isEqualTo(400);
    }
}
