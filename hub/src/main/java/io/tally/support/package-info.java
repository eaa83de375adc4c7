/** Shared helpers without domain knowledge (SQL arrays). */
package io.tally.support;
