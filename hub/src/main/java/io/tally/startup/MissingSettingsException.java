package io.tally.startup;

import java.util.List;

/** Settings the active profile reads from the environment without a default, and that are not set. */
class MissingSettingsException extends IllegalStateException {

    private final List<String> settings;

    public MissingSettingsException(List<String> settings) {
        super("not set: " + String.join(", ", settings));
        this.settings = List.copyOf(settings);
    }

    public List<String> settings() {
        return settings;
    }
}
