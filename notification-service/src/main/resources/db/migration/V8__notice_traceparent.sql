-- The trace context of the fan-out that stored a notice (W3C traceparent; NULL with tracing off, and for notices stored
-- before it was kept): the senders, which send later from the delivery rows, continue that trace, so a mail's send
-- span is in the trace of the command that caused it (docs/decisions/0016).
ALTER TABLE notice ADD COLUMN traceparent text;
