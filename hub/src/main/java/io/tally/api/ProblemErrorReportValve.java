package io.tally.api;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error answers (a request it refuses before any servlet runs: malformed percent-encoding, an
 * invalid character in the request line, an error no servlet handled) as problem+json instead of Tomcat's HTML
 * error page with its version and, for some errors, a stack trace. Installed as the host's error report valve by
 * {@link ApiConfiguration}. The detail is the status's own phrase: never an exception message. Public: Tomcat creates it by class name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As Tomcat's own valve: nothing on a non-error status, when a body was written, or when it was reported.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        if (status == 505) {
            // Tomcat's answer to a request line it cannot read as HTTP/1.x: the client's error, not the server's.
            status = 400;
            response.setStatus(status);
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status == 400
                ? "the request could not be read (malformed request line, path or headers)"
                : status >= 500 ? "the request failed; retry later" : title;
        try {
            response.setContentType(ProblemResponses.PROBLEM_JSON);
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.json(status, title, detail));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was committed meanwhile: nothing more to say
        }
    }
}
