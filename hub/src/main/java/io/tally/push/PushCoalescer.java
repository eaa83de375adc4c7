package io.tally.push;

import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Keeps at most one push per listing queued or in flight. A request for a listing already queued does nothing
 * (the push will read the newest target when it runs); a request for a listing in flight marks it to run once
 * more after, so two pushes of one listing never race and only the newest target is sent.
 */
@Component("pushCoalescer")
public class PushCoalescer {

    private enum State {
        QUEUED,
        IN_FLIGHT,
        IN_FLIGHT_AGAIN
    }

    private final ConcurrentHashMap<Long, State> states = new ConcurrentHashMap<>();

    /** @return true when the caller must queue the listing now */
    public boolean offer(Long listingId) {
        boolean[] queueNow = {false};
        states.compute(listingId, (id, state) -> {
            if (state == null) {
                queueNow[0] = true;
                return State.QUEUED;
            }
            return state == State.IN_FLIGHT ? State.IN_FLIGHT_AGAIN : state;
        });
        return queueNow[0];
    }

    /**
     * The listing was marked queued but could not be put on the queue (it was full): the mark is taken back so the
     * next request or sweep queues it. Nothing else can have started it, as it never reached the queue.
     */
    public void withdraw(Long listingId) {
        states.remove(listingId, State.QUEUED);
    }

    public void begin(Long listingId) {
        states.put(listingId, State.IN_FLIGHT);
    }

    /** @return true when a newer target arrived while in flight, so the listing must be queued again */
    public boolean finish(Long listingId) {
        boolean[] again = {false};
        states.compute(listingId, (id, state) -> {
            if (state == State.IN_FLIGHT_AGAIN) {
                again[0] = true;
                return State.QUEUED;
            }
            return null;
        });
        return again[0];
    }

    public int queued() {
        return states.size();
    }
}
