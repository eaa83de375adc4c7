package io.tally.ops;

import io.hawt.web.auth.RolePrincipal;
import io.hawt.web.auth.UserPrincipal;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * JAAS login module of the {@code tally} realm used by Hawtio's own authentication (Hawtio's login page and the
 * Basic/session check in front of Jolokia). One user, from {@link OpsCredentials}, with the role {@value #ROLE}.
 */
public class OpsLoginModule implements LoginModule {

    static final String ROLE = "tally-ops";
    static final String CREDENTIALS_OPTION = "credentials";

    private Subject subject;
    private CallbackHandler handler;
    private OpsCredentials credentials;
    private final List<Principal> principals = new ArrayList<>();
    private String authenticated;

    @Override
    public void initialize(
            Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = callbackHandler;
        this.credentials = (OpsCredentials) options.get(CREDENTIALS_OPTION);
    }

    @Override
    public boolean login() throws LoginException {
        if (credentials == null || handler == null) {
            throw new LoginException("tally ops login is not configured");
        }
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("cannot read credentials: " + e.getMessage());
        }
        try {
            if (!credentials.matches(name.getName(), password.getPassword())) {
                throw new FailedLoginException("wrong user or password");
            }
        } finally {
            password.clearPassword();
        }
        authenticated = name.getName();
        return true;
    }

    @Override
    public boolean commit() {
        if (authenticated == null) {
            return false;
        }
        principals.add(new UserPrincipal(authenticated));
        principals.add(new RolePrincipal(ROLE));
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        authenticated = null;
        return true;
    }

    @Override
    public boolean logout() {
        if (subject != null) {
            subject.getPrincipals().removeAll(principals);
        }
        principals.clear();
        authenticated = null;
        return true;
    }
}
