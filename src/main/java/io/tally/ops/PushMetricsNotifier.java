package io.tally.ops;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.push.PushCommand;
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
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (!(exchange.getProperty(PUSH_COMMAND) instanceof PushCommand push)) {
            return;
        }
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            // The http producer does not throw on 429/5xx (the route judges the answer): every request is timed.
            String uri = sent.getEndpoint() == null ? "" : sent.getEndpoint().getEndpointUri();
            if (uri.startsWith("http:") || uri.startsWith("https:")) {
                Timer.builder("tally.push.duration")
                        .description("Latency of one push request to a channel, whatever its answer")
                        .tag("store", push.store())
                        .publishPercentileHistogram()
                        .register(registry).record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
