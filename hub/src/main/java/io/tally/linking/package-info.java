/** Declaring listings and bundles: links listings to stock items, seeds new items, unlinks. */
package io.tally.linking;
