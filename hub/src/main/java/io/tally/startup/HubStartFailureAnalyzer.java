package io.tally.startup;

import io.tally.db.DataDirInUseException;
import io.tally.policy.UnknownChannelException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Start refusals of Tally's own, whose message already says what is wrong and what to do: reported as they are. */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class HubStartFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t : StartupFailures.chain(failure)) {
            if (t instanceof DataDirInUseException || t instanceof UnknownChannelException) {
                return new FailureAnalysis(t.getMessage(), "", failure);
            }
        }
        return null;
    }
}
