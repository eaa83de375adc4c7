package io.tally.channel.walmart;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The one HTTP client of the Walmart connector, and the headers every Walmart call carries. */
@Component
public class WalmartHttp {

    static final String ACCESS_TOKEN = "WM_SEC.ACCESS_TOKEN";
    static final String CORRELATION_ID = "WM_QOS.CORRELATION_ID";
    static final String SERVICE_NAME = "WM_SVC.NAME";

    private final HttpClient client;
    private final Duration timeout;
    private final String serviceName;

    public WalmartHttp(WalmartProperties properties) {
        this.timeout = Duration.ofMillis(properties.timeoutMs());
        this.serviceName = properties.serviceName();
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    HttpClient client() {
        return client;
    }

    Duration timeout() {
        return timeout;
    }

    String serviceName() {
        return serviceName;
    }

    /** A fresh id per call: Walmart uses it to trace one request, so it is never reused, not even by a retry. */
    static String correlationId() {
        return UUID.randomUUID().toString();
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
