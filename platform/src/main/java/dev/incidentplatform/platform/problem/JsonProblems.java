package dev.incidentplatform.platform.problem;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import dev.incidentplatform.platform.json.TextRuleException;

/**
 * Turns what Jackson says about a body into a field path ({@code components[2].regions[0]}) and a rule a client can
 * act on. Jackson's own messages name Java classes; none of them reaches the client.
 */
public final class JsonProblems {

    private JsonProblems() {
    }

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']{1,200})'");

    public static ProblemException of(JsonProcessingException e) {
        String path = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
        // Inside an object Jackson wraps a parse error (a duplicate key, say) in a mapping error that carries the path.
        JsonProcessingException cause = e instanceof JsonMappingException && e.getCause() instanceof JsonParseException parse
                ? parse : e;
        Matcher duplicate = DUPLICATE.matcher(cause instanceof JsonParseException ? String.valueOf(cause.getOriginalMessage()) : "");
        if (duplicate.find()) {
            String name = (path.isEmpty() ? "" : path + ".") + duplicate.group(1);
            return new ProblemException(400, "The body is not the JSON this endpoint reads: " + name + " appears"
                    + " twice; send each field once. Nothing was changed.", List.of(new Problem.FieldError(name,
                            "appears twice; send each field once")));
        }
        String reason = reason(cause);
        if (path.isEmpty()) {
            return new ProblemException(400, "The body is not the JSON this endpoint reads: " + reason
                    + location(cause) + ". Nothing was changed.");
        }
        return new ProblemException(400, "The body is not the JSON this endpoint reads: " + path + ": " + reason
                + ". Nothing was changed.", List.of(new Problem.FieldError(path, reason)));
    }

    private static String reason(JsonProcessingException e) {
        Throwable cause = e.getCause();
        if (e instanceof ValueInstantiationException && cause instanceof TextRuleException rule) {
            return rule.getMessage();
        }
        if (cause instanceof TextRuleException rule) {
            return rule.getMessage();
        }
        if (e instanceof StreamConstraintsException) {
            return "it exceeds a limit of this API (" + clean(e.getOriginalMessage()) + ")";
        }
        if (e instanceof PropertyBindingException unknown) {
            return "is not a field here; the fields are " + unknown.getKnownPropertyIds().stream().map(String::valueOf)
                    .sorted().collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof InvalidFormatException format) {
            return "'" + abbreviate(String.valueOf(format.getValue())) + "' is not " + kind(format.getTargetType());
        }
        if (e instanceof ValueInstantiationException) {
            return cause != null && cause.getMessage() != null && cause instanceof IllegalArgumentException
                    ? cause.getMessage() : "is not valid here";
        }
        if (e instanceof MismatchedInputException mismatch) {
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (message.startsWith("Trailing token")) {
                return "there is more after the JSON value; send exactly one JSON document";
            }
            if (message.startsWith("No content to map") || message.contains("end-of-input")) {
                return "the body is empty or ends too early";
            }
            Class<?> target = mismatch.getTargetType();
            return target == null ? "has the wrong type" : "must be " + kind(target);
        }
        if (e instanceof JsonParseException) {
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (message.startsWith("Duplicate field")) {
                return "a field appears twice (" + clean(message.substring("Duplicate field".length()).trim()) + ")";
            }
            return "it is not valid JSON (" + clean(message) + ")";
        }
        return "it could not be read";
    }

    /** A client-facing name for the type a value must have. */
    static String kind(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == BigDecimal.class || type == Double.class || type == double.class || type == Float.class
                || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Instant.class) {
            return "a UTC instant such as 2024-07-19T04:09:00Z";
        }
        if (type == YearMonth.class) {
            return "a month such as 2024-07";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

    /** {@code components[2].status}, from Jackson's reference chain. */
    public static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(abbreviate(reference.getFieldName()));
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Jackson's parser messages, without the hints that name Java types or the source. */
    private static String clean(String message) {
        if (message == null) {
            return "";
        }
        String text = message.replaceAll("\\(for [^)]*\\)", "").replaceAll("(?i)java\\.[\\w.$]+", "")
                .replaceAll("(?i)com\\.fasterxml\\.[\\w.$]+", "").replaceAll("\\s+", " ").trim();
        int cut = text.indexOf('\n');
        return abbreviate(cut < 0 ? text : text.substring(0, cut));
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
