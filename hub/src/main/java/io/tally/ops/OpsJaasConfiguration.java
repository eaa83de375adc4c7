package io.tally.ops;

import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;

/**
 * JVM-wide JAAS configuration: the {@code tally} realm (Hawtio's {@code hawtio.realm}) logs in with
 * {@link OpsLoginModule}; any other realm is answered by the configuration that was installed before.
 */
final class OpsJaasConfiguration extends Configuration {

    private final String realm;
    private final AppConfigurationEntry[] entries;
    private final Configuration previous;

    OpsJaasConfiguration(String realm, OpsCredentials credentials, Configuration previous) {
        this.realm = realm;
        this.previous = previous;
        this.entries = new AppConfigurationEntry[] {
            new AppConfigurationEntry(
                    OpsLoginModule.class.getName(),
                    LoginModuleControlFlag.REQUIRED,
                    Map.of(OpsLoginModule.CREDENTIALS_OPTION, credentials))
        };
    }

    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        if (realm.equals(name)) {
            return entries.clone();
        }
        return previous == null ? null : previous.getAppConfigurationEntry(name);
    }

    Configuration previous() {
        return previous;
    }

    @Override
    public void refresh() {
        if (previous != null) {
            previous.refresh();
        }
    }
}
