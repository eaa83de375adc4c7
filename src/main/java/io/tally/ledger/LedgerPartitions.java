package io.tally.ledger;

import io.tally.event.InboxRepository.PendingEvent;
import io.tally.policy.TallyProperties;
import org.springframework.stereotype.Component;

/**
 * The aggregator's correlation: events of one stock item always fall in the same partition, so they are batched
 * together; a partition also gathers other items, so spread-out traffic still makes batches of many events.
 */
@Component("ledgerPartitions")
public class LedgerPartitions {

    private final int partitions;

    public LedgerPartitions(TallyProperties properties) {
        this.partitions = properties.ledger().partitions();
    }

    public String of(PendingEvent event) {
        return "p" + Math.floorMod(event.correlationKey().hashCode(), partitions);
    }
}
