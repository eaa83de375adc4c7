package io.tally.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * How a failed ledger batch is classified (issue 17: a database outage rejected acknowledged events as
 * "TransactionSystemException"). The exceptions are built as Spring, Hikari and pgjdbc build them.
 */
class ApplyFailureTest {

    private static SQLException state(String sqlState) {
        return new SQLException("PostgreSQL says so", sqlState);
    }

    @Test
    void theDatabaseGoingAwayIsTransientHoweverItIsWrapped() {
        // What the outage test saw: the commit or rollback on a connection PostgreSQL had closed.
        assertThat(ApplyFailure.of(new TransactionSystemException("JDBC rollback failed", state("08003"))))
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new TransactionSystemException("Could not commit JDBC transaction")))
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new CannotCreateTransactionException(
                        "no connection",
                        new SQLException("Connection refused", "08001", new ConnectException("Connection refused")))))
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new CannotGetJdbcConnectionException("pool timed out", new SQLException("timeout"))))
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new UncategorizedSQLException("x", "SELECT 1", state("57P01"))))
                .as("admin shutdown")
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new UncategorizedSQLException("x", "SELECT 1", state("57P03"))))
                .as("the database is starting up")
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new UncategorizedSQLException("x", "SELECT 1", state("53300"))))
                .as("too many connections")
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new CannotAcquireLockException("deadlock", state("40P01"))))
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new UncategorizedSQLException("x", "UPDATE", state("40001"))))
                .as("serialization failure")
                .isEqualTo(ApplyFailure.TRANSIENT);
        assertThat(ApplyFailure.of(new DataAccessResourceFailureException(
                        "I/O error", new SQLException("An I/O error occurred while sending to the backend.", "08006"))))
                .isEqualTo(ApplyFailure.TRANSIENT);
    }

    @Test
    void anEventsOwnDataIsADataProblemEvenWhenSpringCallsItAResourceFailure() {
        // Spring translates 54000 (an index row over the btree limit) to DataAccessResourceFailureException.
        assertThat(ApplyFailure.of(
                        new DataAccessResourceFailureException("index row size 4016 exceeds", state("54000"))))
                .isEqualTo(ApplyFailure.DATA);
        assertThat(ApplyFailure.of(new DataIntegrityViolationException("bigint out of range", state("22003"))))
                .isEqualTo(ApplyFailure.DATA);
        assertThat(ApplyFailure.of(new DataIntegrityViolationException("duplicate key", state("23505"))))
                .isEqualTo(ApplyFailure.DATA);
        assertThat(ApplyFailure.of(new DataIntegrityViolationException("no SQLState")))
                .isEqualTo(ApplyFailure.DATA);
    }

    @Test
    void anythingElseIsUnknownAndRetriedBeforeItIsRejected() {
        assertThat(ApplyFailure.of(new IllegalStateException("a bug"))).isEqualTo(ApplyFailure.UNKNOWN);
        assertThat(ApplyFailure.of(new UncategorizedSQLException("x", "SELECT", state("42P01"))))
                .as("undefined table: a deployment problem, not the event's")
                .isEqualTo(ApplyFailure.UNKNOWN);
    }
}
