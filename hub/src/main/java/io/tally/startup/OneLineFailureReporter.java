package io.tally.startup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Reports a start failure that an analyzer explained as one ERROR line, description then action, without the stack
 * trace (Spring Boot's own banner-style reporter is switched off in config/application.yaml). A failure no analyzer
 * knows is still logged by Spring Boot with its full stack trace.
 */
public class OneLineFailureReporter implements FailureAnalysisReporter {

    private static final Logger log = LoggerFactory.getLogger("io.tally.startup");

    @Override
    public void report(FailureAnalysis analysis) {
        String action = StartupFailures.oneLine(analysis.getAction());
        log.error(
                "Tally did not start: {}{}",
                StartupFailures.oneLine(analysis.getDescription()),
                action.isEmpty() ? "" : " " + action);
    }
}
