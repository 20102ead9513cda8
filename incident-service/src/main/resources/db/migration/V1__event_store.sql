-- The event store, and so the outbox: every state change of an incident is one row here, appended, never changed.
CREATE TABLE event (
    position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        uuid        NOT NULL UNIQUE,
    stream_id       uuid        NOT NULL,
    version         integer     NOT NULL CHECK (version >= 1),
    type            text        NOT NULL,
    schema_version  integer     NOT NULL CHECK (schema_version >= 1),
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- The writing transaction: the relay publishes only below the oldest transaction still in flight.
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT event_stream_version_unique UNIQUE (stream_id, version)
);
