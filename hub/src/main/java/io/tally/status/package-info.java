/** The status page's mapping and push history (the page is in resources/static/status). */
package io.tally.status;
