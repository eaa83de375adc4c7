package io.tally.startup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator must set for each setting the profiles read from the environment, and helpers shared by the
 * failure analyzers (each reports one line: what is wrong and how to fix it).
 */
final class StartupFailures {

    /** Environment variables config/application*.yaml reads without a default, and what each one is. */
    static final Map<String, String> SETTINGS = Map.of(
            "TALLY_ADMIN_TOKEN", "the admin API's bearer token (tally.admin-token), e.g. a long random string",
            "SPRING_DATASOURCE_URL",
                    "the PostgreSQL JDBC URL (spring.datasource.url)," + " e.g. jdbc:postgresql://db:5432/tally",
            "SPRING_DATASOURCE_USERNAME", "the PostgreSQL user (spring.datasource.username)",
            "SPRING_DATASOURCE_PASSWORD", "the PostgreSQL password (spring.datasource.password)");

    private static final Pattern UNRESOLVED = Pattern.compile("Could not resolve placeholder '([^':]+)'");
    private static final Pattern LITERAL_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    private StartupFailures() {}

    static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /**
     * The setting a start failed for lack of: an unresolvable placeholder, or a placeholder that reached a value
     * unresolved (Spring Boot's binder leaves them in place, e.g. a JDBC URL "${SPRING_DATASOURCE_URL}").
     */
    static String missingSetting(Throwable failure) {
        for (Throwable t : chain(failure)) {
            String message = String.valueOf(t.getMessage());
            Matcher unresolved = UNRESOLVED.matcher(message);
            if (unresolved.find()) {
                return unresolved.group(1);
            }
        }
        for (Throwable t : chain(failure)) {
            Matcher literal = LITERAL_PLACEHOLDER.matcher(String.valueOf(t.getMessage()));
            while (literal.find()) {
                if (SETTINGS.containsKey(literal.group(1))) {
                    return literal.group(1);
                }
            }
        }
        return null;
    }

    /** How to set the given settings, e.g. "Set the environment variable TALLY_ADMIN_TOKEN to ..., and start again." */
    static String action(List<String> settings) {
        List<String> each = new ArrayList<>();
        for (String setting : settings) {
            String what = SETTINGS.get(setting);
            each.add(
                    what == null
                            ? setting + " (an environment variable, a --" + setting
                                    + "=... argument or config/application.yaml)"
                            : "the environment variable " + setting + " to " + what);
        }
        return "Set " + String.join("; ", each) + "; and start again.";
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
