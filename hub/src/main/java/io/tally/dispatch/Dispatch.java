package io.tally.dispatch;

import io.tally.event.InboxRepository.PendingEvent;
import java.util.Collection;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/** How Java code (the admin API) hands work to the routes: the routes own the wiring from there. */
@Component
public class Dispatch {

    private final ProducerTemplate producer;

    public Dispatch(ProducerTemplate producer) {
        this.producer = producer;
    }

    public void applyEvents(List<PendingEvent> events) {
        if (!events.isEmpty()) {
            producer.sendBody("direct:ledger-submit", events);
        }
    }

    public void push(Collection<Long> listingIds) {
        if (!listingIds.isEmpty()) {
            producer.sendBody("direct:push-request", List.copyOf(listingIds));
        }
    }
}
