package io.tally.push;

import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * This hub process as the owner of push leases (listing.push_lease_owner): a push claims its listing under this id
 * before it sends, so hubs sharing one database never push one listing at once. A new id per start: leases a killed
 * process left are nobody's, and run out after {@code tally.push.lease-ms}.
 */
@Component
public class PushLeaseOwner {

    private final UUID id = UUID.randomUUID();

    public UUID id() {
        return id;
    }

    @Override
    public String toString() {
        return "push lease owner " + id;
    }
}
