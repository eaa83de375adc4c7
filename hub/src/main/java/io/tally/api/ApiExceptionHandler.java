package io.tally.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tally.event.InvalidEventException;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every admin API error is problem+json with a reason (framework errors such as malformed JSON included). A reason
 * names the field and what was expected; it never carries a Java class name, a stack trace or SQL.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler({IllegalArgumentException.class, InvalidEventException.class})
    ProblemDetail badRequest(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, safe(e.getMessage(), "invalid request"));
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, safe(e.getMessage(), "not found"));
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, safe(e.getMessage(), "conflict"));
    }

    /** The database refused a value (4xx: the input's fault), or is unwell (503: retry). Never the SQL text. */
    @ExceptionHandler(DataAccessException.class)
    ProblemDetail database(DataAccessException e) {
        if (io.tally.event.InputRules.refusedByDatabase(e)) {
            log.warn(
                    "the database refused a value of an admin request: {}",
                    e.getMostSpecificCause().getClass().getSimpleName());
            return ProblemDetail.forStatusAndDetail(
                    HttpStatus.BAD_REQUEST, "the database refused a value of this request; nothing was changed");
        }
        log.error("admin request failed on the database", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "the database is not available; retry later");
        return problem;
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("admin request failed", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "the request failed; retry later");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, unreadableReason(ex));
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    /** Why the JSON body was refused, in the terms of the request (field names, expected types). */
    static String unreadableReason(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause == null) {
            return "a JSON request body is required";
        }
        if (cause instanceof java.io.CharConversionException) {
            return "the request body is not valid UTF-8";
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'";
        }
        if (cause instanceof StreamConstraintsException) {
            return "the JSON exceeds a size limit (a number, a string or the nesting is too long)";
        }
        if (cause instanceof InputCoercionException c) {
            return "a number is out of range" + location(c);
        }
        if (cause instanceof MismatchedInputException m) {
            String original = m.getOriginalMessage() == null ? "" : m.getOriginalMessage();
            if (original.startsWith("Trailing token")) {
                return "unexpected content after the JSON value";
            }
            String field = path(m);
            if (field.isEmpty()) {
                return original.startsWith("No content")
                        ? "a JSON request body is required"
                        : "the request body must be a JSON object";
            }
            return field + " " + expected(m.getTargetType());
        }
        if (cause instanceof JsonParseException p) {
            return "malformed JSON" + location(p);
        }
        if (cause instanceof JsonMappingException m && !path(m).isEmpty()) {
            return path(m) + " has an invalid value";
        }
        if (cause instanceof JsonProcessingException p) {
            return "the request body is not valid JSON for this endpoint" + location(p);
        }
        return "the request body could not be read";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Long.class
                || type == Integer.class
                || type == long.class
                || type == int.class
                || type == Short.class
                || type == short.class) {
            return "must be a whole number";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return "must be a JSON object";
    }

    private static String path(JsonMappingException m) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String location(JsonProcessingException e) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /**
     * A message as a reason only when it reads as one: a library's message naming a class, a package or SQL is
     * replaced by {@code fallback}.
     */
    static String safe(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        String m = message;
        if (m.contains("Exception")
                || m.contains("java.")
                || m.contains("org.")
                || m.contains("io.tally")
                || m.contains("com.")
                || m.matches("(?is).*\\b(select|insert|update|delete)\\b.*\\b(from|into|set)\\b.*")) {
            return fallback;
        }
        return m.length() > 500 ? m.substring(0, 500) : m;
    }
}
