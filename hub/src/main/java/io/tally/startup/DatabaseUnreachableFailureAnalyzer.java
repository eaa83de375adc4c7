package io.tally.startup;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * A start that fails because PostgreSQL cannot be reached or refuses the login: one line naming the URL (never the
 * password), what PostgreSQL answered, and the setting to change.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class DatabaseUnreachableFailureAnalyzer implements FailureAnalyzer {

    private final Environment environment;

    public DatabaseUnreachableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        SQLException sql = null;
        Throwable network = null;
        for (Throwable t : StartupFailures.chain(failure)) {
            if (t instanceof SQLException e && sql == null) {
                sql = e;
            }
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                network = t;
            }
        }
        if (sql == null) {
            return null;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        String url = environment.getProperty("spring.datasource.url", "(spring.datasource.url not set)");
        String answer = StartupFailures.oneLine(sql.getMessage());
        if (state.startsWith("28")) {
            return new FailureAnalysis(
                    "PostgreSQL at " + url + " refused the login: " + answer + ".",
                    "Set SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD to a user that may connect,"
                            + " and start again.",
                    failure);
        }
        if (state.equals("3D000")) {
            return new FailureAnalysis(
                    "PostgreSQL at " + url + " has no such database: " + answer + ".",
                    "Create it (createdb) or point SPRING_DATASOURCE_URL at an existing database, and start again.",
                    failure);
        }
        if (state.startsWith("08") || network != null) {
            return new FailureAnalysis(
                    "PostgreSQL at " + url + " cannot be reached: " + answer + ".",
                    "Start PostgreSQL there, or set SPRING_DATASOURCE_URL (spring.datasource.url) to a server this"
                            + " host can reach, e.g. jdbc:postgresql://db:5432/tally, and start again.",
                    failure);
        }
        return null;
    }
}
