package io.tally.startup;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** A start that fails because a setting the profile needs is not set: names it and how to set it. */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class MissingSettingFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        String setting = StartupFailures.missingSetting(failure);
        if (setting == null) {
            return null;
        }
        return new FailureAnalysis(setting + " is not set.", StartupFailures.action(setting), failure);
    }
}
