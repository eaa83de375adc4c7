/** Catalog import and reconciliation of the ledger against the levels the channels report. */
package io.tally.reconcile;
