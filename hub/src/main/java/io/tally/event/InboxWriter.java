package io.tally.event;

import io.tally.support.SqlArrays;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for the inbox: requests arriving together are written in one transaction (one multi-row insert,
 * one WAL flush) and each is answered when that transaction has committed. A request's events are written whole
 * or not at all, since they are always in the same transaction.
 */
@Component
public class InboxWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxWriter.class);
    private static final int MAX_EVENTS_PER_COMMIT = 2000;
    private static final int WRITERS = 2;

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;
    private final TransactionTemplate transaction;
    private final BlockingQueue<Request> queue = new ArrayBlockingQueue<>(20_000);
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    public InboxWriter(NamedParameterJdbcTemplate jdbc, SqlArrays arrays, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.arrays = arrays;
        this.transaction = transaction;
    }

    /** One request's events and, once committed, their inbox ids (null for a duplicate). */
    private record Request(List<CanonicalEvent> events, CompletableFuture<List<Long>> done) {}

    /**
     * Stores the events and waits for the commit.
     *
     * @return per event, its inbox id, or null when an event with the same (store, id) was already stored
     */
    public List<Long> write(List<CanonicalEvent> events) {
        if (!running) {
            throw new IllegalStateException("the inbox is not accepting events (starting or stopping)");
        }
        Request request = new Request(events, new CompletableFuture<>());
        try {
            if (!queue.offer(request, 5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the inbox is overloaded; retry later");
            }
            return request.done().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing events", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof InvalidEventException invalid) {
                throw new InvalidEventException(invalid.getMessage());
            }
            // No database text in the message: it may reach an answer. The cause is logged by the writer.
            throw new IllegalStateException("events not stored (database error); retry later", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("events not confirmed stored in time; retry (duplicates are safe)", e);
        }
    }

    /**
     * Stores the events in the caller's transaction, bypassing the group commit: for a poller that must move its
     * cursor atomically with the events it read.
     *
     * @return per event, its inbox id, or null for a duplicate (also within the list)
     */
    public List<Long> writeInTransaction(List<CanonicalEvent> events) {
        if (!org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("writeInTransaction needs an active transaction");
        }
        Map<String, Long> ids = insert(List.of(new Request(events, null)));
        List<Long> result = new ArrayList<>(events.size());
        for (CanonicalEvent event : events) {
            result.add(ids.remove(event.idempotencyKey()));
        }
        return result;
    }

    private void drain() {
        List<Request> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Request first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int events = first.events().size();
                while (events < MAX_EVENTS_PER_COMMIT) {
                    Request next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    group.add(next);
                    events += next.events().size();
                }
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /**
     * Commits the group. If that fails, each request is committed on its own: one request whose content the database
     * refuses must not fail the others it happened to share a transaction with. Only the culprit gets the error, a
     * 400 when the database refused its content, a 500 (retry) when the database is unwell.
     */
    private void commit(List<Request> group) {
        try {
            commitTogether(group);
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                fail(group.get(0), e);
                return;
            }
            log.warn(
                    "inbox commit of {} requests failed ({}); committing them one by one",
                    group.size(),
                    e.getClass().getSimpleName());
            for (Request request : group) {
                try {
                    commitTogether(List.of(request));
                } catch (RuntimeException single) {
                    fail(request, single);
                }
            }
        }
    }

    private void fail(Request request, RuntimeException e) {
        if (InputRules.refusedByDatabase(e)) {
            log.warn(
                    "inbox refused a request of {} events: the database rejected its content ({})",
                    request.events().size(),
                    org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e)
                            .getClass()
                            .getSimpleName());
            request.done()
                    .completeExceptionally(
                            new InvalidEventException(
                                    "the database refused this request's content (a value it cannot store); nothing was stored"));
        } else {
            log.error(
                    "inbox commit of a request of {} events failed; the sender gets an error and retries",
                    request.events().size(),
                    e);
            request.done().completeExceptionally(e);
        }
    }

    private void commitTogether(List<Request> group) {
        Map<String, Long> ids = transaction.execute(status -> insert(group));
        for (Request request : group) {
            List<Long> result = new ArrayList<>(request.events().size());
            Set<String> seenInRequest = new HashSet<>();
            for (CanonicalEvent event : request.events()) {
                // An id repeated within the group is stored once: the first occurrence gets it.
                Long id = seenInRequest.add(event.idempotencyKey()) ? ids.remove(event.idempotencyKey()) : null;
                result.add(id);
            }
            request.done().complete(result);
        }
    }

    private Map<String, Long> insert(List<Request> group) {
        List<CanonicalEvent> events = new ArrayList<>();
        group.forEach(r -> events.addAll(r.events()));
        var params = new MapSqlParameterSource()
                .addValue(
                        "idemKeys",
                        arrays.text(events.stream()
                                .map(CanonicalEvent::idempotencyKey)
                                .toList()))
                .addValue(
                        "eventIds",
                        arrays.text(events.stream().map(CanonicalEvent::id).toList()))
                .addValue(
                        "channels",
                        arrays.text(events.stream().map(CanonicalEvent::channel).toList()))
                .addValue(
                        "stores",
                        arrays.text(events.stream().map(CanonicalEvent::store).toList()))
                .addValue(
                        "types",
                        arrays.text(
                                events.stream().map(e -> e.type().wireName()).toList()))
                .addValue(
                        "keyKinds",
                        arrays.text(
                                events.stream().map(e -> e.keyKind().wireName()).toList()))
                .addValue(
                        "keyValues",
                        arrays.text(
                                events.stream().map(CanonicalEvent::keyValue).toList()))
                .addValue(
                        "quantities",
                        arrays.int8(
                                events.stream().map(CanonicalEvent::quantity).toList()))
                .addValue(
                        "orderIds",
                        arrays.text(events.stream().map(CanonicalEvent::orderId).toList()))
                .addValue(
                        "lineIds",
                        arrays.text(events.stream()
                                .map(CanonicalEvent::effectiveLineId)
                                .toList()))
                .addValue(
                        "stages",
                        arrays.text(events.stream().map(CanonicalEvent::stage).toList()))
                .addValue(
                        "causes",
                        arrays.text(events.stream().map(CanonicalEvent::cause).toList()))
                .addValue(
                        "occurred",
                        arrays.timestamptz(events.stream()
                                .map(e -> e.occurredAt() == null ? null : Timestamp.from(e.occurredAt()))
                                .toList()))
                .addValue(
                        "payloads",
                        arrays.text(events.stream().map(CanonicalEvent::payload).toList()));
        Map<String, Long> ids = new HashMap<>();
        jdbc.query("""
                INSERT INTO inbox_event (idem_key, event_id, channel, store, type, key_kind, key_value, quantity,
                                         order_id, line_id, stage, cause, occurred_at, payload)
                SELECT k, e, c, s, t, kk, kv, q, o, l, st, ca, oc, p::jsonb
                FROM unnest(:idemKeys, :eventIds, :channels, :stores, :types, :keyKinds, :keyValues, :quantities,
                            :orderIds, :lineIds, :stages, :causes, :occurred, :payloads)
                     AS x(k, e, c, s, t, kk, kv, q, o, l, st, ca, oc, p)
                ON CONFLICT (idem_key) DO NOTHING
                RETURNING id, idem_key
                """, params, rs -> {
            ids.put(rs.getString(2), rs.getLong(1));
        });
        return ids;
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < WRITERS; i++) {
            Thread writer = new Thread(this::drain, "inbox-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server takes requests, stops after it has drained them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
