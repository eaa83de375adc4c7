/** Start-up: the 503 gate until ready and one-line start failures. */
package io.tally.startup;
