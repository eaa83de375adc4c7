/** Alerts for an operator's endpoint: conditions found in the database, raised once per episode, delivered by POST. */
package io.tally.alerts;
