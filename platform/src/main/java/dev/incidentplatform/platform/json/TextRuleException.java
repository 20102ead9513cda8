package dev.incidentplatform.platform.json;

/** A value that breaks one of the text rules every field of every API follows; its message is the rule. */
public class TextRuleException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TextRuleException(String rule) {
        super(rule);
    }
}
