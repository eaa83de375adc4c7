package io.tally.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzConstants;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Builds camel-quartz's scheduler: JobStoreTX with the PostgreSQL delegate, clustered, on the hub's DataSource (the
 * same pool and credentials as everything else; Quartz manages its own transactions on its connections).
 */
final class ClusteredSchedulerFactory implements SchedulerFactory {

    /** Quartz's SCHED_NAME: the same on every replica, which is what makes them one cluster. */
    static final String SCHEDULER_NAME = "tally";

    private final DataSource dataSource;
    private final long checkinIntervalMs;
    private final Supplier<CamelContext> camelContext;
    private Scheduler scheduler;

    ClusteredSchedulerFactory(DataSource dataSource, long checkinIntervalMs, Supplier<CamelContext> camelContext) {
        this.dataSource = dataSource;
        this.checkinIntervalMs = checkinIntervalMs;
        this.camelContext = camelContext;
    }

    @Override
    public synchronized Scheduler getScheduler() throws SchedulerException {
        if (scheduler == null) {
            scheduler = create();
        }
        return scheduler;
    }

    @Override
    public synchronized Scheduler getScheduler(String name) {
        return scheduler != null && SCHEDULER_NAME.equals(name) ? scheduler : null;
    }

    @Override
    public synchronized Collection<Scheduler> getAllSchedulers() {
        return scheduler == null ? List.of() : List.of(scheduler);
    }

    private Scheduler create() throws SchedulerException {
        // Quartz finds its connections by name in a JVM-wide registry: a name of its own per scheduler.
        String dataSourceName = "tally-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new HubConnections(dataSource));
        Scheduler created;
        // Quartz also keeps a JVM-wide registry of schedulers by name, and the name is the same on every replica;
        // leaving it lets a second replica in the same JVM (tests) have its own scheduler instead of this one.
        synchronized (SchedulerRepository.class) {
            created = new StdSchedulerFactory(properties(dataSourceName)).getScheduler();
            SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
        }
        // A job is run by whichever replica acquires it: CamelJob finds the CamelContext by the name stored with the
        // job (usingFixedCamelContextName on every quartz: endpoint), camel.main.name, the same on every replica.
        CamelContext camel = camelContext.get();
        created.getContext().put(QuartzConstants.QUARTZ_CAMEL_CONTEXT + "-" + camel.getName(), camel);
        return created;
    }

    private Properties properties(String dataSourceName) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.jmx.export", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "10");
        p.setProperty("org.quartz.threadPool.threadsInheritContextClassLoaderOfInitializingThread", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        // A replica that misses check-ins for about this long (plus Quartz's 7.5 s grace) is taken for dead: the
        // others release its blocked triggers and re-run the jobs it was running (recoverableJob).
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinIntervalMs));
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        // After a database outage the jobs resume within this (Quartz's default waits 15 s between attempts).
        p.setProperty("org.quartz.jobStore.dbRetryInterval", "2000");
        return p;
    }

    /** The hub's pool; Quartz closes each connection it takes, and never the pool. */
    private record HubConnections(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {}

        @Override
        public void initialize() {}
    }
}
