/** The embedded PostgreSQL of the default run and its data-folder lock. */
package io.tally.db;
