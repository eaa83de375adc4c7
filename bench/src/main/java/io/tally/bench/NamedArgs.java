package io.tally.bench;

/** {@code --name=value} arguments of the smaller benchmark programs (the ingest benchmark has BenchOptions). */
final class NamedArgs {

    private NamedArgs() {}

    static String value(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        return fallback;
    }
}
