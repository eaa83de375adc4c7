package io.tally.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How much CPU the hub's JIT compiler is spending, read from its Prometheus endpoint
 * ({@code jvm_compilation_time_ms_total}, Micrometer's JVM metrics on the hub's management port).
 *
 * <p>On a 2-core machine a freshly started hub keeps its compiler threads busy for the first 30-40 s of load, about one
 * core's worth, and doubles its throughput meanwhile. Figures taken then measure the compiler more than the hub, so
 * the warm-up goes on until compiling has died down, and every phase reports how much compiling still happened while
 * it ran. The figure is compile time (wall time of the compiler threads) per second: it includes time a compiler
 * thread waited for a CPU, so it is an upper bound of the CPU the JIT took.
 */
final class HubJitMeter {

    private static final String METRIC = "jvm_compilation_time_ms_total";

    /** Compile time so far and when it was read. */
    record Reading(double compileMillis, long nanos) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI prometheusUrl;

    HubJitMeter(URI prometheusUrl) {
        this.prometheusUrl = prometheusUrl;
    }

    Reading read() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(prometheusUrl)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + prometheusUrl + " answered HTTP " + response.statusCode());
        }
        double millis = Double.NaN;
        for (String line : response.body().split("\n")) {
            if (line.startsWith(METRIC + "{") || line.startsWith(METRIC + " ")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                millis = Double.isNaN(millis) ? value : millis + value; // one series per compiler, when split
            }
        }
        if (Double.isNaN(millis)) {
            throw new IOException(prometheusUrl + " has no " + METRIC + " (is it the hub's /actuator/prometheus?)");
        }
        return new Reading(millis, System.nanoTime());
    }

    /** Compile seconds per second between two readings (1.0 = one compiler thread busy all the time). */
    static double busyBetween(Reading before, Reading after) {
        return (after.compileMillis() - before.compileMillis()) * 1e6 / (after.nanos() - before.nanos());
    }
}
