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

    private HeadlessChromium() {}

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
        run(
                List.of("--screenshot=" + tmp, "--window-size=" + width + "," + height, "--hide-scrollbars", url),
                budgetMillis);
        assertThat(tmp).as("screenshot written").exists();
        assertThat(Files.size(tmp)).as("screenshot size").isGreaterThan(10_000);
        Files.move(tmp, file.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Opens the page, clicks the element matching {@code selector} once it appears, waits until it is gone (the page
     * re-rendered without it) and returns the DOM then. Uses the DevTools protocol over the JDK's WebSocket client.
     */
    static String clickAndDump(String url, String selector, java.time.Duration timeout) throws Exception {
        Path profile = Files.createTempDirectory("tally-chromium-cdp-");
        List<String> cmd = List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                url);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(
                        profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new AssertionError("chromium did not open its DevTools port");
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            var http = java.net.http.HttpClient.newHttpClient();
            String pageSocket = null;
            while (pageSocket == null) {
                String targets = http.send(
                                java.net.http.HttpRequest.newBuilder(
                                                java.net.URI.create("http://127.0.0.1:" + port + "/json/list"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                for (var target : new com.fasterxml.jackson.databind.ObjectMapper().readTree(targets)) {
                    if ("page".equals(target.path("type").asText())) {
                        pageSocket = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageSocket == null) {
                    Thread.sleep(50);
                }
            }
            String script = "(async () => { const sel = "
                    + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(selector)
                    + "; const sleep = ms => new Promise(r => setTimeout(r, ms));"
                    + " for (let i = 0; i < 200 && !document.querySelector(sel); i++) await sleep(100);"
                    + " const el = document.querySelector(sel); if (!el) return 'NOT FOUND: ' + sel; el.click();"
                    + " for (let i = 0; i < 200 && document.querySelector(sel); i++) await sleep(100);"
                    + " return document.documentElement.outerHTML; })()";
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var answers =
                    new java.util.concurrent.ConcurrentHashMap<Long, java.util.concurrent.CompletableFuture<String>>();
            StringBuilder message = new StringBuilder();
            var socket = http.newWebSocketBuilder()
                    .buildAsync(java.net.URI.create(pageSocket), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(
                                java.net.http.WebSocket ws, CharSequence data, boolean last) {
                            message.append(data);
                            if (last) {
                                String text = message.toString();
                                message.setLength(0);
                                try {
                                    long id = json.readTree(text).path("id").asLong(-1);
                                    var answer = answers.get(id);
                                    if (answer != null) {
                                        answer.complete(text);
                                    }
                                } catch (IOException e) {
                                    // not an answer of ours
                                }
                            }
                            ws.request(1);
                            return null;
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            try {
                // The page may still be replacing the initial blank document: evaluate again in the loaded one.
                for (long attempt = 1; ; attempt++) {
                    var answer = new java.util.concurrent.CompletableFuture<String>();
                    answers.put(attempt, answer);
                    String request = json.createObjectNode()
                            .put("id", attempt)
                            .put("method", "Runtime.evaluate")
                            .set(
                                    "params",
                                    json.createObjectNode()
                                            .put("expression", script)
                                            .put("awaitPromise", true)
                                            .put("returnByValue", true))
                            .toString();
                    socket.sendText(request, true).get(10, TimeUnit.SECONDS);
                    String reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    var value = json.readTree(reply).at("/result/result/value");
                    if (value.isTextual()) {
                        return value.asText();
                    }
                    if (attempt >= 10 || !reply.contains("context")) {
                        throw new AssertionError("DevTools answer: " + reply);
                    }
                    Thread.sleep(200);
                }
            } finally {
                socket.abort();
            }
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            deleteTree(profile);
            Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
        }
    }

    private static String run(List<String> args, int budgetMillis) throws Exception {
        Path profile = Files.createTempDirectory("tally-chromium-");
        Path stderr = profile.resolveSibling(profile.getFileName() + ".log");
        List<String> cmd = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=" + budgetMillis));
        cmd.addAll(args);
        Path stdout = profile.resolveSibling(profile.getFileName() + ".out");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            // generous: the machines running the suite are shared and chromium starts slowly under load
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within 180 s: " + cmd);
            }
            assertThat(p.exitValue())
                    .as("chromium exit, stderr: %s", Files.readString(stderr))
                    .isZero();
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
        } catch (IOException | java.io.UncheckedIOException e) {
            // a leftover temp profile is harmless; a chromium helper process that is still exiting may add or remove
            // files in it while it is walked
        }
    }
}
