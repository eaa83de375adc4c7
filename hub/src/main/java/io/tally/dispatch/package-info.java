/** How Java code hands work to the routes (ledger submission, push requests); the routes own the wiring. */
package io.tally.dispatch;
