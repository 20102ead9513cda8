package dev.incidentplatform.platform.json;

import java.io.IOException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.function.Function;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * One JSON dialect for every service, the one the OpenAPI documents describe: exactly one document per body, no
 * duplicate keys, no unknown fields, no type coercion (a number is never read as a string or the reverse), no null
 * inside a list, every string free of NUL, unpaired surrogates and control characters, and instants and months as
 * {@link StrictTimes} reads them. Decimals are read exactly and written plainly (99.9, never 9.99E+1).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Deeper than any request of these APIs; a body nested deeper is refused before it costs anything. */
    public static final int MAX_NESTING_DEPTH = 32;
    public static final int MAX_NUMBER_LENGTH = 40;
    public static final int MAX_STRING_LENGTH = 1_000_000;

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** Last of all customizers: Quarkus registers its Java time module before, so that these readers replace its own. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    /** Applies the dialect to any mapper (also used where a service reads JSON itself). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH).build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
        mapper.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));

        for (LogicalType textual : new LogicalType[] { LogicalType.Textual }) {
            mapper.coercionConfigFor(textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        for (LogicalType scalar : new LogicalType[] { LogicalType.Integer, LogicalType.Float, LogicalType.Boolean }) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Collection).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);

        SimpleModule rules = new SimpleModule("strict-json");
        rules.addDeserializer(String.class, new StrictString());
        rules.addDeserializer(Instant.class, new StrictText<>(Instant.class, StrictTimes::instant));
        rules.addDeserializer(YearMonth.class, new StrictText<>(YearMonth.class, StrictTimes::month));
        mapper.registerModule(rules);
        return mapper;
    }

    private static String text(JsonParser parser, DeserializationContext context, Class<?> type) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            return (String) context.handleUnexpectedToken(type, parser);
        }
        return parser.getText();
    }

    private static final class StrictString extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = text(parser, context, String.class);
            String violation = Texts.violation(text);
            if (violation != null) {
                throw context.instantiationException(String.class, new TextRuleException(violation));
            }
            return text;
        }
    }

    /** A value written as a string and read by one of {@link StrictTimes}' parsers. */
    private static final class StrictText<T> extends JsonDeserializer<T> {

        private final Class<T> type;
        private final Function<String, T> parse;

        StrictText(Class<T> type, Function<String, T> parse) {
            this.type = type;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = text(parser, context, type);
            try {
                return parse.apply(text);
            } catch (TextRuleException e) {
                throw context.instantiationException(type, e);
            }
        }
    }
}
