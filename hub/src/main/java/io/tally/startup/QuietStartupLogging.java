package io.tally.startup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;

/**
 * While the hub starts, the loggers that print a failed start's stack trace on their own are muted: the failure
 * analyzers (this package) explain such a failure in one line instead. Once the hub is ready they log as configured
 * again (a failed start ends the process, so their muting ends with it).
 *
 * <p>Muted: Hikari's "Exception during pool initialization" (the stack of an unreachable database), the context's
 * "Exception encountered during context initialization" warning, Tomcat's "Error starting Tomcat context" (the whole cause chain on one line) and the hint to
 * re-run with debug.
 */
public class QuietStartupLogging implements SmartApplicationListener {

    static final List<String> NOISY_AT_START = List.of(
            "com.zaxxer.hikari.pool.HikariPool",
            // a bean of the servlet filter chain that fails (e.g. on an unreachable database) is logged here first
            "org.springframework.boot.web.embedded.tomcat.TomcatStarter",
            "org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext",
            "org.springframework.context.annotation.AnnotationConfigApplicationContext",
            "org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger");

    private final Map<String, LogLevel> configured = new HashMap<>();

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
                || ApplicationReadyEvent.class.isAssignableFrom(eventType);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        if (event instanceof ApplicationEnvironmentPreparedEvent) {
            for (String logger : NOISY_AT_START) {
                LoggerConfiguration current = logging.getLoggerConfiguration(logger);
                configured.put(logger, current == null ? null : current.getConfiguredLevel());
                logging.setLogLevel(logger, LogLevel.OFF);
            }
        } else {
            configured.forEach(logging::setLogLevel);
            configured.clear();
        }
    }

    /** After Spring Boot's LoggingApplicationListener, which sets the levels up from the configuration. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
