package io.tally.push;

import io.tally.connector.PushCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The push log: one line per state change of a listing's pushes, not one per attempt. A listing that starts failing
 * gets one WARN (store, SKU, ref, the level and the channel's answer); further failures of the same episode (retries,
 * the sweeps that retry a dead letter) are logged at DEBUG only; the first confirmed push after it is one INFO. An
 * episode also spans a restart: a listing whose dead letter is still open continues its episode (INFO, not WARN).
 * The dead letter itself is logged once, when it is opened ({@link DeadLetterService}).
 *
 * <p>Kept in memory per listing while it fails (removed when a push is confirmed), so it costs nothing for the
 * listings that push fine.
 */
@Component("pushEpisodes")
public class PushEpisodes {

    private static final Logger log = LoggerFactory.getLogger("io.tally.push");
    private static final int MAX_ANSWER = 300;

    private record Episode(Instant since, int failures, String lastAnswer) {}

    private final JdbcTemplate jdbc;
    private final Map<Long, Episode> failing = new ConcurrentHashMap<>();

    public PushEpisodes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One attempt through the channel ended.
     *
     * @param attempt the attempt's number within its series (1 for the first)
     * @param failure what it failed with, or null
     */
    public void attempted(PushCommand push, PushResult result, Throwable failure, int attempt) {
        if (result == PushResult.CONFIRMED) {
            Episode ended = failing.remove(push.listingId());
            if (ended != null) {
                log.info(
                        "push to {} recovered: level {} confirmed after {} failed attempts over {} s (last answer: {})",
                        who(push),
                        push.level(),
                        ended.failures(),
                        Duration.between(ended.since(), Instant.now()).toSeconds(),
                        ended.lastAnswer());
            }
            return;
        }
        if (!result.failed()) {
            return; // stale: the channel answered, the push is planned again; neither a failure nor a recovery
        }
        String answer = answer(failure);
        String next = result == PushResult.REJECTED ? "refused for good, not retried" : "retrying";
        boolean[] started = {false};
        failing.compute(push.listingId(), (id, episode) -> {
            if (episode == null) {
                started[0] = true;
                return new Episode(Instant.now(), 1, answer);
            }
            return new Episode(episode.since(), episode.failures() + 1, answer);
        });
        if (!started[0]) {
            log.debug(
                    "push to {} level={} still failing: {} (attempt {}, {})",
                    who(push),
                    push.level(),
                    answer,
                    attempt,
                    next);
        } else if (hasOpenDeadLetter(push.listingId())) {
            log.info(
                    "push to {} level={} still failing since before this start (dead letter open): {} (attempt {}, {})",
                    who(push),
                    push.level(),
                    answer,
                    attempt,
                    next);
        } else {
            log.warn(
                    "push to {} level={} failing: {} (attempt {}, {})", who(push), push.level(), answer, attempt, next);
        }
    }

    /** Whether the listing is in a failure episode now (its last push attempt failed). */
    public boolean isFailing(long listingId) {
        return failing.containsKey(listingId);
    }

    static String who(PushCommand push) {
        return "store=" + push.store() + " sku=" + push.sku() + " ref=" + push.ref();
    }

    /** The channel's answer in one line: the message of Tally's push exceptions, the type and message otherwise. */
    public static String answer(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        Throwable shown = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetryablePushException || t instanceof RejectedPushException) {
                shown = t;
                break;
            }
        }
        String text = shown instanceof RetryablePushException || shown instanceof RejectedPushException
                ? shown.getMessage()
                : shown.getClass().getSimpleName() + ": " + shown.getMessage();
        text = text == null
                ? shown.getClass().getSimpleName()
                : text.replaceAll("\\s+", " ").trim();
        return text.length() > MAX_ANSWER ? text.substring(0, MAX_ANSWER) + "…" : text;
    }

    private boolean hasOpenDeadLetter(long listingId) {
        try {
            return Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT EXISTS (SELECT 1 FROM dead_letter WHERE listing_id = ? AND status = 'open')",
                    Boolean.class,
                    listingId));
        } catch (RuntimeException e) {
            return false; // the database is failing too: say it once, as a new episode
        }
    }
}
