package io.tally.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which hub owns an embedded PostgreSQL data folder: a lock file next to it ({@code <data-dir>.owner}) that names the
 * owner's pid and start time and is held under an OS file lock while the owner lives (the OS drops the lock when a
 * process dies, even by kill -9).
 *
 * <p>A second hub on the same folder finds the lock held, or the owner named in the file still alive (same pid, same
 * start time, so a reused pid does not count), and refuses to start: it must never take the live hub's PostgreSQL
 * for an orphan. Only when the owner is really gone may a PostgreSQL left on the folder be stopped.
 */
public final class DataDirOwnership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataDirOwnership.class);

    /** The owner named in a lock file. */
    record Owner(long pid, Instant started) {

        boolean alive() {
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return false;
            }
            // A pid the system reused for another process is not the owner: its start time differs.
            Optional<Instant> processStart = process.get().info().startInstant();
            return started == null
                    || processStart.isEmpty()
                    || processStart.get().equals(started);
        }

        @Override
        public String toString() {
            return "pid " + pid + (started == null ? "" : ", started " + started);
        }
    }

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirOwnership(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a data folder: beside it, so deleting the folder to start over leaves no stale owner in it. */
    static Path lockFileOf(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".owner");
    }

    /**
     * Takes the folder for this process.
     *
     * @return the ownership (close it after PostgreSQL has stopped), and whether the previous owner is gone, so a
     *         PostgreSQL it left running on the folder is an orphan
     * @throws DataDirInUseException when a live hub owns the folder
     */
    static DataDirOwnership claim(Path dataDir) throws IOException {
        Path lockFile = lockFileOf(dataDir);
        Files.createDirectories(lockFile.getParent());
        FileChannel channel = FileChannel.open(
                lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM (a second application context on the same folder)
        }
        Optional<Owner> recorded = read(channel);
        if (lock == null) {
            channel.close();
            throw new DataDirInUseException(dataDir, recorded.orElse(null));
        }
        Owner self = new Owner(
                ProcessHandle.current().pid(),
                ProcessHandle.current().info().startInstant().orElse(null));
        if (recorded.isPresent()
                && recorded.get().pid() != self.pid()
                && recorded.get().alive()) {
            // The file is not locked but its owner lives (a file system without locks): trust the owner record.
            lock.release();
            channel.close();
            throw new DataDirInUseException(dataDir, recorded.get());
        }
        write(channel, self);
        return new DataDirOwnership(lockFile, channel, lock);
    }

    private static Optional<Owner> read(FileChannel channel) throws IOException {
        if (channel.size() == 0) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buffer, 0);
        Properties p = new Properties();
        p.load(new java.io.StringReader(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)));
        try {
            String started = p.getProperty("started");
            return Optional.of(new Owner(
                    Long.parseLong(p.getProperty("pid", "").trim()),
                    started == null || started.isBlank() ? null : Instant.parse(started.trim())));
        } catch (RuntimeException e) {
            return Optional.empty(); // unreadable: no owner is named, the OS lock alone decides
        }
    }

    private static void write(FileChannel channel, Owner owner) throws IOException {
        String text = "# The Tally hub that runs the embedded PostgreSQL in the folder beside this file\n" + "pid="
                + owner.pid() + "\n" + "started=" + (owner.started() == null ? "" : owner.started()) + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    /** Releases the folder: called once this hub's PostgreSQL has stopped. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            log.debug("Could not delete {}: the next start finds its owner gone", lockFile, e);
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            log.debug("Could not release {}", lockFile, e);
        }
    }
}
