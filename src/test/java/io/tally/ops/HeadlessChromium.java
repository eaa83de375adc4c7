package io.tally.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium run as a plain headless process ({@code --dump-dom}, {@code --screenshot}) with a fresh profile:
 * no browser-automation dependency. The flags keep it off the network (this machine's network is closed).
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM);
    }

    /** The DOM after scripts ran for {@code budgetMillis} of virtual time. */
    static String dumpDom(String url, int budgetMillis) throws Exception {
        return run(List.of("--dump-dom", url), budgetMillis);
    }

    static void screenshot(String url, Path file, int width, int height, int budgetMillis) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".tmp.png");
        run(List.of("--screenshot=" + tmp, "--window-size=" + width + "," + height, "--hide-scrollbars", url),
                budgetMillis);
        assertThat(tmp).as("screenshot written").exists();
        assertThat(Files.size(tmp)).as("screenshot size").isGreaterThan(10_000);
        Files.move(tmp, file.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String run(List<String> args, int budgetMillis) throws Exception {
        Path profile = Files.createTempDirectory("tally-chromium-");
        Path stderr = profile.resolveSibling(profile.getFileName() + ".log");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--virtual-time-budget=" + budgetMillis));
        cmd.addAll(args);
        Path stdout = profile.resolveSibling(profile.getFileName() + ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within 60 s: " + cmd);
            }
            assertThat(p.exitValue()).as("chromium exit, stderr: %s", Files.readString(stderr)).isZero();
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            deleteTree(profile);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp profile is harmless
        }
    }
}
