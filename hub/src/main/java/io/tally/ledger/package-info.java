/** The ledger: batches per stock item applied as load, pure booking rules, write; stock items, entries, order lines. */
package io.tally.ledger;
