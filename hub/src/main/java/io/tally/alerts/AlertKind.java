package io.tally.alerts;

/** What an alert is about; {@code wire} is its name in the alert table, the POST body and the API. */
enum AlertKind {
    OVERSOLD("oversold"),
    PUSH_FAILING("push-failing"),
    POLLER_STOPPED("poller-stopped"),
    RECONCILIATION_CORRECTED("reconciliation-corrected");

    final String wire;

    AlertKind(String wire) {
        this.wire = wire;
    }
}
