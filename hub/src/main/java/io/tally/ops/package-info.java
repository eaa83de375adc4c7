/** Operations: health, metrics, Hawtio login and the Jolokia policy. */
package io.tally.ops;
