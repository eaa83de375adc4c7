package io.tally.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page (an error raised outside Spring MVC's exception handling: a filter, a
 * response the container itself refused) as problem+json for every client, browsers included, in place of Spring
 * Boot's whitelabel page. The detail is the status's own phrase, never the exception's message.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<String> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i && i >= 400 ? i : 404;
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status >= 500 ? "the request failed; retry later" : status == 404 ? "no such resource" : title;
        return ResponseEntity.status(status)
                .contentType(MediaType.parseMediaType(ProblemResponses.PROBLEM_JSON))
                .body(Problems.json(status, title, detail));
    }
}
