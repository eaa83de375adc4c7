package io.tally.ledger;

import io.tally.event.InboxRepository.PendingEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Collects the inbox ids of one stock item's events into one batch (kept in the body, not in properties). */
@Component("ledgerBatchStrategy")
public class LedgerBatchStrategy implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange batch, Exchange next) {
        long inboxId = next.getIn().getBody(PendingEvent.class).inboxId();
        if (batch == null) {
            List<Long> ids = new ArrayList<>();
            ids.add(inboxId);
            next.getIn().setBody(ids);
            return next;
        }
        batch.getIn().getBody(List.class).add(inboxId);
        return batch;
    }
}
