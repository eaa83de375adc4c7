/** The embedded PostgreSQL of the default run and its data-folder lock; the quartz: routes' clustered job store. */
package io.tally.db;
