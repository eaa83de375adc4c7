/** Pushing targets to channels: coalescing, planning, confirming, dead letters, push results. */
package io.tally.push;
