/** Listings: the listing table (its only writer), channel identities and the targets computed from the ledger. */
package io.tally.catalog;
