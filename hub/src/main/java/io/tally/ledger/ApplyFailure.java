package io.tally.ledger;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

/**
 * What a failed ledger transaction says about its events. Only a {@link Kind#DATA} failure is the events' fault; a
 * {@link Kind#TRANSIENT} one is the database's (down, restarting, overloaded, a deadlock) and must leave every event
 * pending. SQLStates from PostgreSQL's Appendix A (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
enum ApplyFailure {
    /** The database could not do the work now: retry the same events later, reject nothing. */
    TRANSIENT,
    /** The data of an event cannot be stored (bad value, constraint, a key over an index's size limit): isolate it. */
    DATA,
    /** Neither is certain: isolate the events, and reject one only after it failed alone several times. */
    UNKNOWN;

    static ApplyFailure of(Throwable failure) {
        // The SQLState is the most precise witness, wherever Spring or the pool wrapped it.
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                ApplyFailure byState = ofSqlState(sql.getSQLState());
                if (byState != null) {
                    return byState;
                }
            }
        }
        seen.clear();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException // includes CannotGetJdbcConnectionException
                    || t instanceof TransactionSystemException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof TransactionTimedOutException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof IOException) {
                return TRANSIENT;
            }
            if (t instanceof DataIntegrityViolationException) {
                return DATA;
            }
        }
        return UNKNOWN;
    }

    /** @return null when the state says nothing either way (absent, or a class not listed here) */
    static ApplyFailure ofSqlState(String state) {
        if (state == null || state.length() < 2) {
            return null;
        }
        String cls = state.substring(0, 2);
        return switch (cls) {
            // 08 connection exception, 53 insufficient resources, 57 operator intervention (57P01 admin shutdown,
            // 57P02 crash shutdown, 57P03 cannot connect now, 57014 query canceled), 58 system error (I/O),
            // 40 transaction rollback (40001 serialization failure, 40P01 deadlock), 55P03 lock not available,
            // 25006 read-only transaction (a standby during a fail-over), XX internal error.
            case "08", "53", "57", "58", "40", "XX" -> TRANSIENT;
            case "55" -> "55P03".equals(state) || "55006".equals(state) ? TRANSIENT : null;
            case "25" -> "25006".equals(state) || "25P03".equals(state) ? TRANSIENT : null;
            // 22 data exception (a value out of range, bad encoding), 23 integrity constraint violation,
            // 54 program limit exceeded (54000: an index row over btree's 2704-byte maximum).
            case "22", "23", "54" -> DATA;
            default -> null;
        };
    }
}
