package io.tally.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' login for Hawtio and Jolokia ({@code tally.ops.user} / {@code tally.ops.password}, from
 * {@code TALLY_OPS_USER} / {@code TALLY_OPS_PASSWORD}). With no password configured, a random one is generated and
 * logged once, so the console is never open by accident.
 */
final class OpsCredentials {

    private static final Logger log = LoggerFactory.getLogger(OpsCredentials.class);

    private final String user;
    private final byte[] password;

    OpsCredentials(String user, String password, boolean authenticationEnabled) {
        this.user = user == null || user.isBlank() ? "ops" : user.trim();
        if (password == null || password.isBlank()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = HexFormat.of().formatHex(random);
            if (authenticationEnabled) {
                log.warn(
                        "tally.ops.password is not set; Hawtio/Jolokia login for this run: user '{}', password {}",
                        this.user,
                        password);
            }
        }
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    String user() {
        return user;
    }

    /** Constant-time on the password: the answer time must not reveal how much of it matched. */
    boolean matches(String givenUser, char[] givenPassword) {
        byte[] given = givenPassword == null ? new byte[0] : new String(givenPassword).getBytes(StandardCharsets.UTF_8);
        boolean passwordOk = MessageDigest.isEqual(password, given);
        return passwordOk && user.equals(givenUser);
    }
}
