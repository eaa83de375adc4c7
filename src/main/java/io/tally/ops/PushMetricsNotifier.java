package io.tally.ops;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.push.PushCommand;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Times push requests without touching the routes, from Camel's ExchangeSentEvent on the channel's http endpoint
 * (push exchanges carry the {@code pushCommand} property, so the store is known). The answers are counted where
 * they are judged, in {@code HttpChannelPush}.
 *
 * <pre>
 * tally_push_duration_seconds{store} latency of one push request (histogram)
 * </pre>
 */
final class PushMetricsNotifier extends EventNotifierSupport {

    static final String PUSH_COMMAND = "pushCommand";

    private final MeterRegistry registry;

    PushMetricsNotifier(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /**
     * The sending event must be taken too: Camel starts the stopwatch behind ExchangeSentEvent only when some
     * notifier accepted the matching ExchangeSendingEvent.
     */
    @Override
    public boolean isEnabled(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSendingEvent sending) {
            return isPushRequest(sending.getExchange(), sending.getEndpoint());
        }
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            return isPushRequest(sent.getExchange(), sent.getEndpoint());
        }
        return false;
    }

    private static boolean isPushRequest(Exchange exchange, Endpoint endpoint) {
        if (endpoint == null || !(exchange.getProperty(PUSH_COMMAND) instanceof PushCommand)) {
            return false;
        }
        String uri = endpoint.getEndpointUri();
        return uri.startsWith("http:") || uri.startsWith("https:");
    }

    @Override
    public void notify(CamelEvent event) {
        // The http producer does not throw on 429/5xx (the route judges the answer): every request is timed.
        if (event instanceof CamelEvent.ExchangeSentEvent sent
                && sent.getExchange().getProperty(PUSH_COMMAND) instanceof PushCommand push) {
            Timer.builder("tally.push.duration")
                    .description("Latency of one push request to a channel, whatever its answer")
                    .tag("store", push.store())
                    .publishPercentileHistogram()
                    .register(registry).record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
        }
    }
}
