package io.tally.db;

import java.nio.file.Path;

/** Another live hub owns the embedded PostgreSQL data folder: this one must not start on it. */
public class DataDirInUseException extends IllegalStateException {

    public DataDirInUseException(Path dataDir, DataDirOwnership.Owner owner) {
        super("tally.embedded-db.data-dir " + dataDir + " is in use by another running hub ("
                + (owner == null ? "see " + DataDirOwnership.lockFileOf(dataDir) : owner)
                + "): stop that hub first, or start this one with another folder"
                + " (--tally.embedded-db.data-dir=... or TALLY_EMBEDDEDDB_DATADIR)");
    }
}
