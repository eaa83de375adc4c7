package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Target level = clamp(floor((onHand − safety) × share%), 0, max); hidden listings; bundles. */
class TargetScenarioTest extends ScenarioBase {

    @Test
    void hiddenListingIsNeverPushed() {
        String sku = "hid-sku";
        declare("main", "hid-visible", "sku", sku, "master", true, "level", 30);
        declare("main", "hid-other", "sku", sku);
        declare("main", "hid-hidden", "sku", sku, "hidden", true, "level", 12);
        awaitOnHand(sku, 30);
        awaitPushed("main", "hid-other", 30);

        api.accepted(Ev.sale("main").ref("hid-visible").qty(4).order("hid-o1", "l1"));
        awaitOnHand(sku, 26);
        awaitPushed("main", "hid-visible", 26);
        awaitPushed("main", "hid-other", 26);
        stays(
                Duration.ofSeconds(1),
                () -> assertThat(SIM.attempts("main", "hid-hidden")).isZero());
        JsonNode hidden = api.listing("main", "hid-hidden");
        assertThat(hidden.path("hidden").asBoolean()).isTrue();
        assertThat(hidden.path("state").asText()).isEqualTo("hidden");
        assertThat(hidden.path("target").asLong()).isZero();
        assertThat(api.onHand(sku))
                .as("a hidden listing does not seed or move stock")
                .isEqualTo(26);
    }

    @Test
    void listingSafetyStockMaxAvailableAndSharePercent() {
        String sku = "cap-sku";
        declare("main", "cap-master", "sku", sku, "master", true, "level", 100);
        declare("main", "cap-safety", "sku", sku, "safetyStock", 10);
        declare("main", "cap-max", "sku", sku, "maxAvailable", 25);
        declare("main", "cap-share", "sku", sku, "sharePercent", 50);
        declare("main", "cap-all", "sku", sku, "safetyStock", 10, "sharePercent", 50, "maxAvailable", 30);
        awaitOnHand(sku, 100);
        awaitPushed("main", "cap-safety", 90);
        awaitPushed("main", "cap-max", 25);
        awaitPushed("main", "cap-share", 50);
        awaitPushed("main", "cap-all", 30);

        api.accepted(Ev.sale("main").ref("cap-master").qty(95).order("cap-o1", "l1"));
        awaitOnHand(sku, 5);
        awaitPushed("main", "cap-master", 5);
        awaitPushed("main", "cap-safety", 0);
        awaitPushed("main", "cap-max", 5);
        awaitPushed("main", "cap-share", 2); // floor(2.5)
        awaitPushed("main", "cap-all", 0);
    }

    @Test
    void storeLevelSafetyStockMaxAvailableAndSharePercent() {
        String sku = "capstore-sku";
        declare("main", "cs-master", "sku", sku, "master", true, "level", 100);
        declare("capped", "cs-capped", "sku", sku);
        awaitOnHand(sku, 100);
        awaitPushed("capped", "cs-capped", 40); // min(floor((100-3)*0.5)=48, 40)

        api.accepted(Ev.sale("main").ref("cs-master").qty(30).order("cs-o1", "l1"));
        awaitOnHand(sku, 70);
        awaitPushed("capped", "cs-capped", 33); // floor(67*0.5)
        api.accepted(Ev.sale("capped").ref("cs-capped").qty(66).order("cs-o2", "l1"));
        awaitOnHand(sku, 4);
        awaitPushed("capped", "cs-capped", 0); // floor(1*0.5)
        awaitPushed("main", "cs-master", 4);
    }

    @Test
    void bundleConsumesItsComponentsAndFollowsThem() {
        declare("main", "mug-1", "sku", "mug", "level", 10);
        declare("main", "tea-1", "sku", "tea", "level", 30);
        awaitOnHand("mug", 10);
        awaitOnHand("tea", 30);
        TallyClient.Resp b = api.put("/api/bundles/gift-set", Map.of("components", Map.of("mug", 1, "tea", 2)));
        assertThat(b.status()).as("%s", b).isEqualTo(200);
        assertThat(b.json().path("bundle").asBoolean()).isTrue();
        declare("main", "gift-1", "sku", "gift-set");
        awaitPushed("main", "gift-1", 10); // min(10/1, 30/2)

        api.accepted(Ev.sale("main").ref("gift-1").qty(1).order("gift-o1", "l1"));
        awaitOnHand("mug", 9);
        awaitOnHand("tea", 28);
        awaitPushed("main", "mug-1", 9);
        awaitPushed("main", "tea-1", 28);
        awaitPushed("main", "gift-1", 9);

        api.accepted(Ev.sale("main").ref("tea-1").qty(12).order("gift-o2", "l1"));
        awaitOnHand("tea", 16);
        awaitPushed("main", "gift-1", 8); // min(9, floor(16/2))
        awaitPushed("main", "tea-1", 16);

        JsonNode gift = api.item("gift-set");
        assertThat(gift.path("bundle").asBoolean()).isTrue();
        assertThat(gift.path("components").path("mug").asInt()).isEqualTo(1);
        assertThat(gift.path("components").path("tea").asInt()).isEqualTo(2);
        assertThat(sumLedger("mug", "sale")).isEqualTo(-1);
        assertThat(sumLedger("tea", "sale")).isEqualTo(-14);
        assertLedgerConsistent("mug");
        assertLedgerConsistent("tea");

        // a cancelled bundle sale gives the components back
        api.accepted(Ev.cancel("main").ref("gift-1").qty(1).order("gift-o1", "l1"));
        awaitOnHand("mug", 10);
        awaitOnHand("tea", 18);
        awaitPushed("main", "gift-1", 9);
    }
}
