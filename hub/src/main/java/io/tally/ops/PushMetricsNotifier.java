package io.tally.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import io.tally.push.PushEpisodes;
import io.tally.push.PushResult;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times and judges every push attempt, for every channel, in one place and without touching the routes: from Camel's
 * ExchangeSentEvent on the channel's route ({@code direct:push-<channel>}, see routes/push/push-listing.camel.yaml).
 * Push exchanges carry the {@code pushCommand} property (store, channel, listing); the result is read from how the
 * channel's route ended ({@link PushResult#of}: its exception, or the {@link PushOutcome} it left). The push log's
 * state changes ({@link PushEpisodes}) are fed from here too.
 *
 * <pre>
 * tally_push_duration_seconds{store,channel,result} one attempt through the channel: its request(s) and any wait for
 *                                                   the channel's own rate bucket (histogram)
 * tally_pushes_total{store,channel,result}          push attempts, by result
 * </pre>
 *
 * with {@code result} one of {@code confirmed, stale, throttled, retryable_failure, rejected} ({@link PushResult}).
 */
final class PushMetricsNotifier extends EventNotifierSupport {

    static final String PUSH_COMMAND = "pushCommand";
    static final String PUSH_ATTEMPTS = "pushAttempts";

    private static final Logger log = LoggerFactory.getLogger(PushMetricsNotifier.class);

    private final MeterRegistry registry;
    private final PushEpisodes episodes;

    PushMetricsNotifier(MeterRegistry registry, PushEpisodes episodes) {
        this.registry = registry;
        this.episodes = episodes;
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
            return isChannelSend(sending.getExchange(), sending.getEndpoint());
        }
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            return isChannelSend(sent.getExchange(), sent.getEndpoint());
        }
        return false;
    }

    /** A send from push-attempt to the channel's route, {@code direct:push-<channel>}. */
    static boolean isChannelSend(Exchange exchange, Endpoint endpoint) {
        if (endpoint == null || !(exchange.getProperty(PUSH_COMMAND) instanceof PushCommand push)) {
            return false;
        }
        String uri = endpoint.getEndpointUri();
        String route = "direct://push-" + push.channel();
        return uri.startsWith(route) && (uri.length() == route.length() || uri.charAt(route.length()) == '?');
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeSentEvent sent)
                || !(sent.getExchange().getProperty(PUSH_COMMAND) instanceof PushCommand push)) {
            return;
        }
        Exchange exchange = sent.getExchange();
        Throwable failure = exchange.getException();
        PushResult result = PushResult.of(
                failure,
                exchange.getProperty(PushOutcome.PROPERTY) instanceof PushOutcome outcome && outcome.isStale());
        Timer.builder("tally.push.duration")
                .description("Latency of one push attempt through a channel, by result")
                .tags("store", push.store(), "channel", push.channel(), "result", result.tag())
                .publishPercentileHistogram()
                .register(registry)
                .record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
        Counter.builder("tally.pushes")
                .description("Push attempts through a channel, by result")
                .tags("store", push.store(), "channel", push.channel(), "result", result.tag())
                .register(registry)
                .increment();
        try {
            episodes.attempted(push, result, failure, exchange.getProperty(PUSH_ATTEMPTS, 1, Integer.class));
        } catch (RuntimeException e) {
            log.debug("push log of listing {} failed: {}", push.listingId(), e.toString());
        }
    }
}
