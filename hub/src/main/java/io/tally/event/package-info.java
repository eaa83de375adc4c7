/** Canonical events: parsing, input rules, the inbox (inbox_event's only writer) and observations. */
package io.tally.event;
