package io.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The machine the benchmark runs on (from Linux /proc where available): the hub and its database share it. */
final class MachineInfo {

    private MachineInfo() {}

    /** Cores, CPU model, memory, OS and Java, for the report's header. */
    static String describe() {
        String cpu = readProcField("/proc/cpuinfo", "model name");
        String memKb = readProcField("/proc/meminfo", "MemTotal");
        StringBuilder text = new StringBuilder();
        text.append(Runtime.getRuntime().availableProcessors()).append(" cores");
        if (cpu != null) {
            text.append(" (").append(cpu).append(')');
        }
        if (memKb != null) {
            long kb = Long.parseLong(memKb.replaceAll("[^0-9]", ""));
            text.append(", ").append(Math.round(kb / 1024.0 / 1024.0)).append(" GiB RAM");
        }
        text.append(", ")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(", Java ")
                .append(System.getProperty("java.version"))
                .append("; the hub, its PostgreSQL and this benchmark share the machine");
        return text.toString();
    }

    /**
     * Share of all CPUs that was busy over {@code window} (from Linux /proc/stat), or NaN elsewhere.
     * Taken before the first event is sent, when the hub should be idle.
     */
    static double busyShare(Duration window) throws InterruptedException {
        long[] before = cpuJiffies();
        Thread.sleep(window.toMillis());
        long[] after = cpuJiffies();
        if (before == null || after == null || after[0] == before[0]) {
            return Double.NaN;
        }
        return (double) (after[1] - before[1]) / (after[0] - before[0]);
    }

    /** {total, busy} jiffies over all CPUs: the first line of /proc/stat, idle and iowait being not busy. */
    private static long[] cpuJiffies() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total, total - idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A "name : value" line of a Linux /proc file, or null elsewhere. */
    private static String readProcField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the report just leaves the field out.
        }
        return null;
    }
}
