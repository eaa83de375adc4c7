package io.tally.push;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Streams every listing whose channel is not known to hold its target onto the push queue: pages of listing ids in
 * id order (a keyset cursor, so memory stays one page whatever the catalog's size), each listing queued only when
 * there is room ({@link PushQueue#requestWaiting}). A pass that finds no room for {@code tally.push.sweep-wait-ms}
 * (a channel down, pushes retrying) stops; the listings it did not reach are still off target in the database, so
 * the next sweep continues with them. One pass runs at a time: the start-up recovery's and the scheduled sweeps'.
 */
@Component("pushSweep")
public class PushSweep {

    private static final Logger log = LoggerFactory.getLogger(PushSweep.class);

    private final PushPlanner planner;
    private final PushQueue queue;
    private final int pageSize;
    private final long maxWaitMs;
    private final AtomicBoolean running = new AtomicBoolean();

    public PushSweep(
            PushPlanner planner,
            PushQueue queue,
            @Value("${tally.push.sweep-page-size}") int pageSize,
            @Value("${tally.push.sweep-wait-ms}") long maxWaitMs) {
        this.planner = planner;
        this.queue = queue;
        this.pageSize = pageSize;
        this.maxWaitMs = maxWaitMs;
    }

    /**
     * @param trigger what started the pass (startup, scheduled), for the log
     * @return listings off target that are now queued (some were already), or -1 when another pass was running
     */
    public long sweep(String trigger) {
        if (!running.compareAndSet(false, true)) {
            log.debug("Push sweep ({}) skipped: the previous pass is still feeding the queue", trigger);
            return -1;
        }
        long seen = 0;
        try {
            long after = 0;
            while (true) {
                List<Long> page = planner.outOfSyncAfter(after, pageSize);
                for (Long id : page) {
                    if (!queue.requestWaiting(id, maxWaitMs)) {
                        if (queue.accepting()) {
                            log.info(
                                    "Push sweep ({}) paused at listing {} after {} listings: the push queue had no"
                                            + " room for {} ms; the next sweep continues",
                                    trigger,
                                    id,
                                    seen,
                                    maxWaitMs);
                        } else {
                            log.debug("Push sweep ({}) stopped at listing {}: the hub is stopping", trigger, id);
                        }
                        return seen;
                    }
                    seen++;
                }
                if (page.size() < pageSize) {
                    if (seen > 0) {
                        log.info("Push sweep ({}): {} listings off target queued (or already queued)", trigger, seen);
                    }
                    return seen;
                }
                after = page.get(page.size() - 1);
            }
        } finally {
            running.set(false);
        }
    }
}
