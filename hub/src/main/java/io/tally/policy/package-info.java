/** Configuration (stores, channels, keys) and the target formula; depends on nothing. */
package io.tally.policy;
