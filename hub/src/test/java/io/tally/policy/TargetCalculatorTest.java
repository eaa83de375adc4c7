package io.tally.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetCalculatorTest {

    private static StoreProperties store(int safety, Integer max, int share) {
        return new StoreProperties(
                "http",
                StoreProperties.StoreRole.PEER,
                StoreProperties.MatchBy.SKU,
                StoreProperties.BookOn.PAID,
                StoreProperties.RestockOn.REFUND,
                null,
                safety,
                max,
                share,
                null,
                null,
                "http://x",
                10,
                Map.of());
    }

    @Test
    void levelMinusSafetyTimesShareCappedAtMax() {
        assertThat(TargetCalculator.target(100, false, null, null, null, store(0, null, 100)))
                .isEqualTo(100);
        assertThat(TargetCalculator.target(100, false, null, null, null, store(10, null, 100)))
                .isEqualTo(90);
        assertThat(TargetCalculator.target(100, false, null, null, null, store(10, null, 50)))
                .isEqualTo(45);
        assertThat(TargetCalculator.target(100, false, null, null, null, store(10, 20, 50)))
                .isEqualTo(20);
    }

    @Test
    void shareIsFloored() {
        assertThat(TargetCalculator.target(7, false, null, null, null, store(0, null, 50)))
                .isEqualTo(3);
    }

    @Test
    void neverNegativeWhenOversoldOrBelowSafety() {
        assertThat(TargetCalculator.target(-5, false, null, null, null, store(0, null, 100)))
                .isZero();
        assertThat(TargetCalculator.target(3, false, null, null, null, store(5, null, 100)))
                .isZero();
    }

    @Test
    void hiddenIsZero() {
        assertThat(TargetCalculator.target(100, true, null, null, null, store(0, null, 100)))
                .isZero();
    }

    @Test
    void listingSettingsWinOverTheStore() {
        assertThat(TargetCalculator.target(100, false, 1, 30, 80, store(10, 50, 50)))
                .isEqualTo(30);
        assertThat(TargetCalculator.target(100, false, 0, null, null, store(10, null, 100)))
                .isEqualTo(100);
    }

    @Test
    void destinationsIgnoreChannelEditsByDefaultOthersApply() {
        var destination = new StoreProperties(
                "http",
                StoreProperties.StoreRole.DESTINATION,
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
                Map.of());
        assertThat(destination.effectiveAdjustments()).isEqualTo(StoreProperties.AdjustmentPolicy.IGNORE);
        assertThat(store(0, null, 100).effectiveAdjustments()).isEqualTo(StoreProperties.AdjustmentPolicy.APPLY);
    }
}
