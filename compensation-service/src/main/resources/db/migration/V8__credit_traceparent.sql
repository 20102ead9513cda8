-- The trace context work is continued from (W3C traceparent; NULL with tracing off, and for rows written before it was
-- kept): a credit run keeps the one of the consumption that planned it, and each credit the one of the chunk that wrote
-- it, so that the worker's chunks and the relay's credit-issued are in the trace of the resolving update
-- (docs/decisions/0016).
ALTER TABLE credit_run ADD COLUMN traceparent text;
ALTER TABLE credit ADD COLUMN traceparent text;
