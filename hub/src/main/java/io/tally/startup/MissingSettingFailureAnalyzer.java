package io.tally.startup;

import java.util.List;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** A start that fails because a setting the profile needs is not set: names it and how to set it. */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class MissingSettingFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t : StartupFailures.chain(failure)) {
            if (t instanceof MissingSettingsException missing) {
                List<String> settings = missing.settings();
                String description = settings.size() == 1
                        ? settings.get(0) + " is not set."
                        : "Not set: " + String.join(", ", settings) + ".";
                return new FailureAnalysis(description, StartupFailures.action(settings), failure);
            }
        }
        String setting = StartupFailures.missingSetting(failure);
        if (setting == null) {
            return null;
        }
        return new FailureAnalysis(setting + " is not set.", StartupFailures.action(List.of(setting)), failure);
    }
}
