package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Onboarding a catalog as CSV files: listings, bundles and counts imported all or nothing (a dry run first), every bad
 * row reported with its line and column, and the same columns exported.
 */
class CatalogFilesScenarioTest extends ScenarioBase {

    static final String HEADER =
            "store,ref,sku,barcode,handle,master,hidden,safetyStock,maxAvailable,sharePercent,level";

    @Test
    void aListingsFileIsCheckedByADryRunThenAppliedSeedingItemsUnparkingEventsAndPushing() {
        // A sale for a SKU nobody lists yet is parked; the import that lists it applies it.
        String saleId = api.accepted(Ev.sale("inv-a").sku("cf-000").qty(2).order("cf-o1", "l1"));
        eventually(() -> assertThat(api.hasEvent("parked", saleId)).isTrue());

        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (int i = 0; i < 120; i++) {
            String sku = String.format("cf-%03d", i);
            // inv-a reports levels (it seeds the item), inv-c lists the same SKU with a safety stock of 1.
            csv.append("inv-a,")
                    .append(sku)
                    .append(',')
                    .append(sku)
                    .append(",,,,,,,,")
                    .append(10 + i)
                    .append("\r\n");
            csv.append("inv-c,").append(sku).append(',').append(sku).append(",,,false,,1,,,\r\n");
        }

        TallyClient.Resp dry = api.postCsv("/api/catalog/listings?dryRun=true", csv.toString());
        assertThat(dry.status()).as("%s", dry).isEqualTo(200);
        assertThat(dry.json().path("applied").asBoolean()).isFalse();
        assertThat(dry.json().path("rows").asInt()).isEqualTo(240);
        assertThat(dry.json().path("changes").path("listingsCreated").asInt()).isEqualTo(240);
        assertThat(dry.json().path("changes").path("itemsCreated").asInt()).isEqualTo(120);
        assertThat(api.item("cf-001")).as("a dry run creates nothing").isNull();

        TallyClient.Resp applied = api.postCsv("/api/catalog/listings", csv.toString());
        assertThat(applied.status()).as("%s", applied).isEqualTo(200);
        JsonNode changes = applied.json().path("changes");
        assertThat(applied.json().path("applied").asBoolean()).isTrue();
        assertThat(changes.path("listingsCreated").asInt()).isEqualTo(240);
        assertThat(changes.path("itemsCreated").asInt()).isEqualTo(120);
        assertThat(changes.path("seeded").asInt()).isEqualTo(120);

        awaitOnHand("cf-000", 10 - 2); // seeded 10, then the parked sale of 2
        eventually(() -> assertThat(api.hasEvent("applied", saleId)).isTrue());
        awaitOnHand("cf-119", 129);
        // inv-a showed the level it seeded, so it is in sync without a push; inv-c gets pushed.
        awaitTarget("inv-a", "cf-119", 129);
        assertThat(api.listing("inv-a", "cf-119").path("state").asText()).isEqualTo("in_sync");
        awaitPushed("inv-c", "cf-119", 128); // safety stock 1
        awaitPushed("inv-c", "cf-000", 7);
        assertLedgerConsistent("cf-000");

        // Importing the same file again changes settings only: no second seed, nothing created.
        TallyClient.Resp again = api.postCsv("/api/catalog/listings", csv.toString());
        assertThat(again.json().path("changes").path("listingsUpdated").asInt()).isEqualTo(240);
        assertThat(again.json().path("changes").path("itemsCreated").asInt()).isZero();
        assertThat(again.json().path("changes").path("seeded").asInt()).isZero();
        assertThat(countLedger("cf-119", "count")).as("one seed entry").isEqualTo(1);

        // The export holds the same columns; a listing's settings round-trip.
        TallyClient.Resp export = api.getText("/api/catalog/listings?store=inv-c");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("text/csv");
        List<String> lines = export.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo(HEADER);
        assertThat(lines).contains("inv-c,cf-042,cf-042,,,false,false,1,,,");
        assertThat(lines.stream().filter(l -> l.startsWith("inv-c,cf-"))).hasSize(120);
    }

    @Test
    void everyBadRowIsReportedWithItsLineAndColumnAndNothingIsApplied() {
        String csv = String.join(
                "\n",
                "\uFEFFstore,ref,sku,level,sharePercent,safetyStock,hidden",
                "inv-b,bad-ok-1,bad-ok-1,5,,,", // line 2: fine
                "nowhere,bad-2,bad-2,,,,", // 3: unknown store
                "inv-b,bad-3,,,,,", // 4: the store matches by SKU
                "inv-b,bad-4,bad-4,-1,,,", // 5: negative level
                "inv-b,bad-5,bad-5,,150,,", // 6: share out of range
                "inv-b,bad-6,bad-6,,,lots,", // 7: not a number
                "inv-b,bad-7,bad-7,,,,maybe", // 8: not a boolean
                "inv-b,bad-ok-1,bad-ok-1,,,,", // 9: the same listing twice
                "inv-b,bad-9", // 10: too few cells
                "\"inv-b\",\"bad-ok-2\",\"bad,ok\n2\",,,,", // 11-12: a quoted cell over two lines (a SKU with a line
                // break)
                "inv-b,bad-13,bad-13,x,,,"); // 13: not a number
        TallyClient.Resp r = api.postCsv("/api/catalog/listings", csv);
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        List<String> errors = new ArrayList<>();
        r.json()
                .path("errors")
                .forEach(e -> errors.add(e.path("line").asInt() + ":"
                        + (e.path("column").isNull() ? "" : e.path("column").asText())));
        assertThat(errors)
                .as("%s", r.json())
                .containsExactly(
                        "3:store",
                        "4:sku",
                        "5:level",
                        "6:sharePercent",
                        "7:safetyStock",
                        "8:hidden",
                        "9:ref",
                        "10:",
                        "11:sku",
                        "13:level");
        assertThat(r.json().path("errorCount").asInt()).isEqualTo(10);
        assertThat(r.json().path("detail").asText()).isEqualTo("10 error(s) in 11 row(s); nothing was applied");
        assertThat(api.item("bad-ok-1")).as("nothing half-applied").isNull();

        // A listing given twice: the later line is the error.
        TallyClient.Resp dup = api.postCsv(
                "/api/catalog/listings", "store,ref,sku\ninv-b,bad-ok-1,bad-ok-1\ninv-b,bad-ok-1,bad-ok-1\n");
        assertThat(dup.status()).isEqualTo(422);
        assertThat(dup.json().path("errors").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(dup.json().path("errors").get(0).path("reason").asText()).contains("already on line 2");

        // Files that are not catalog CSV at all are refused as a whole, with the reason.
        assertThat(api.postCsv("/api/catalog/listings", "store,ref,colour\ninv-b,x,red\n")
                        .json()
                        .path("detail")
                        .asText())
                .contains("unknown column(s) [colour]");
        assertThat(api.postCsv("/api/catalog/listings", "sku\nx\n")
                        .json()
                        .path("detail")
                        .asText())
                .contains("missing column(s) [store, ref]");
        assertThat(api.postCsv("/api/catalog/listings", "store,ref,sku\ninv-b,\"x,x\n")
                        .status())
                .isEqualTo(400);
        assertThat(api.postCsv("/api/catalog/listings", "")
                        .json()
                        .path("detail")
                        .asText())
                .contains("empty");
        TallyClient.Resp latin1 = api.postCsv(
                "/api/catalog/listings", "store,ref,sku\ninv-b,x,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin1.status()).isEqualTo(400);
        assertThat(latin1.json().path("detail").asText()).isEqualTo("the file is not valid UTF-8");
    }

    @Test
    void bundlesAndCountsAreImportedAndExported() {
        declare("inv-b", "cfb-mug", "sku", "cfb-mug", "level", 10);
        declare("inv-b", "cfb-tea", "sku", "cfb-tea", "level", 9);
        declare("inv-b", "cfb-set", "sku", "cfb-set");

        TallyClient.Resp bundles = api.postCsv(
                "/api/catalog/bundles", "bundle,component,quantity\ncfb-set,cfb-mug,1\ncfb-set,cfb-tea,2\n");
        assertThat(bundles.status()).as("%s", bundles).isEqualTo(200);
        assertThat(bundles.json().path("changes").path("bundlesDefined").asInt())
                .isEqualTo(1);
        awaitPushed("inv-b", "cfb-set", 4); // min(10 / 1, 9 / 2)

        TallyClient.Resp badBundle =
                api.postCsv("/api/catalog/bundles", "bundle,component,quantity\ncfb-x,cfb-mug,0\ncfb-x,cfb-x,1\n");
        assertThat(badBundle.status()).isEqualTo(422);
        assertThat(badBundle.json().path("errorCount").asInt()).isEqualTo(2);

        // Counts: all or nothing; an unknown item or a bundle is an error of its row.
        TallyClient.Resp badCounts =
                api.postCsv("/api/catalog/counts", "item,onHand\ncfb-mug,30\ncfb-none,1\ncfb-set,5\n");
        assertThat(badCounts.status()).isEqualTo(422);
        assertThat(badCounts.json().path("errors").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(badCounts.json().path("errors").get(1).path("reason").asText())
                .contains("is a bundle");
        assertThat(api.onHand("cfb-mug")).isEqualTo(10);

        TallyClient.Resp counts =
                api.postCsv("/api/catalog/counts", "item,onHand,reason\ncfb-mug,30,stocktake\ncfb-tea,9,\n");
        assertThat(counts.status()).as("%s", counts).isEqualTo(200);
        assertThat(counts.json().path("changes").path("itemsChanged").asInt()).isEqualTo(1);
        awaitOnHand("cfb-mug", 30);
        awaitPushed("inv-b", "cfb-set", 4); // tea still limits it
        assertLedgerConsistent("cfb-mug");

        assertThat(api.getText("/api/catalog/bundles").body().lines())
                .contains("bundle,component,quantity", "cfb-set,cfb-mug,1", "cfb-set,cfb-tea,2");
        assertThat(api.getText("/api/catalog/counts").body().lines())
                .contains("item,onHand,reason", "cfb-mug,30,", "cfb-tea,9,")
                .noneMatch(l -> l.startsWith("cfb-set,"));
    }
}
