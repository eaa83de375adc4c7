package io.tally.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tally.TallyApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hawtio in headless Chromium, as an operator opens it: its start page (the route diagram) draws without an error, and
 * the Camel routes view lists every Tally route by its id.
 * Login is off here, as in the sandbox. Skipped when Chromium is missing (CI installs it).
 */
@SpringBootTest(
        classes = TallyApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "camel.main.jmx-enabled=true",
            "management.server.port=0",
            "hawtio.authenticationEnabled=false",
            "tally.admin-token=hawtio-test-token"
        })
@org.springframework.test.annotation.DirtiesContext(
        classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
class HawtioBrowserTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tally.embedded-db.data-dir", () -> {
            try {
                Path root = Path.of("target", "test-data").toAbsolutePath();
                Files.createDirectories(root);
                return Files.createTempDirectory(root, "hawtio-").resolve("pg").toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(HeadlessChromium.installed(), "headless browser test needs " + HeadlessChromium.CHROMIUM);
    }

    @LocalManagementPort
    int managementPort;

    @Test
    void hawtioListsEveryRouteById() throws Exception {
        String routes = "http://localhost:" + managementPort + "/actuator/hawtio/camel/routes";
        String dom = HeadlessChromium.dumpDom(routes, 15_000);
        assertThat(dom)
                .contains(
                        "http-events-intake",
                        "ledger-submit",
                        "ledger-apply",
                        "push-request",
                        "push-listing",
                        "push-attempt",
                        "push-http",
                        "push-dead-letter",
                        "push-sweep",
                        "ledger-recovery");
        // No screenshot here: the console's start page (next test, pictured in the README) is this routes table,
        // and each shot costs a Chromium start.
    }

    /**
     * What an operator sees first: the console's start page. Hawtio's own (Camel > Route Diagram) shows "An error
     * occurred during drawing of the diagram" for Tally's routes, so the start page is the routes table, without error.
     */
    @Test
    void hawtioOpensOnAPageWithoutErrors() throws Exception {
        String start = "http://localhost:" + managementPort + "/actuator/hawtio/";
        String dom = HeadlessChromium.dumpDom(start, 15_000);
        assertThat(dom)
                .contains("ledger-apply", "push-listing")
                .doesNotContain("An error occurred")
                .doesNotContain("Error Occurred");
        HeadlessChromium.screenshot(start, Path.of("target", "screenshots", "hawtio-start.png"), 1400, 900, 15_000);
    }
}
