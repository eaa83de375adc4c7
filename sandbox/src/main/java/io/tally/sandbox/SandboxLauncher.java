package io.tally.sandbox;

import io.tally.TallyApplication;
import org.springframework.boot.SpringApplication;

/**
 * Starts the hub with the {@code sandbox} profile (README "Set-up", first command). The hub's own jar has no sandbox:
 * the simulators and this glue live only in this module, on the class path that {@code mvn spring-boot:run} builds.
 */
public final class SandboxLauncher {

    private SandboxLauncher() {}

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(TallyApplication.class);
        application.setAdditionalProfiles("sandbox");
        application.run(args);
    }
}
