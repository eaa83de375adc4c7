package io.tally.support;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL arrays bound to the current transaction's connection, so a whole batch travels as one statement
 * ({@code = ANY(:ids)}, {@code unnest(...)}) instead of one round trip per row.
 */
@Component
public class SqlArrays {

    private final DataSource dataSource;

    public SqlArrays(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Array text(Collection<String> values) {
        return create("text", values.toArray());
    }

    public Array int8(Collection<Long> values) {
        return create("int8", values.toArray());
    }

    public Array int4(Collection<Integer> values) {
        return create("int4", values.toArray());
    }

    public Array bool(Collection<Boolean> values) {
        return create("bool", values.toArray());
    }

    public Array timestamptz(Collection<java.sql.Timestamp> values) {
        return create("timestamptz", values.toArray());
    }

    private Array create(String type, Object[] values) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return connection.createArrayOf(type, values);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a " + type + " array", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
