-- Records consumer group notification-service could not apply (unreadable, or failing for a reason of their own
-- maxAttempts times): parked here (and on the dead-letter topic) so that their partition moves on, kept with the record
-- itself for an operator to inspect and replay (platform.consume). One row per record (topic, partition, offset).
CREATE TABLE parked_event (
    id                  uuid        PRIMARY KEY,
    consumer_group      text        NOT NULL,
    topic               text        NOT NULL,
    partition           integer     NOT NULL,
    "offset"            bigint      NOT NULL,
    record_timestamp    timestamptz,
    record_key          text,
    -- [{name, value (base64, or null)}] in the record's order.
    headers             jsonb       NOT NULL,
    value               bytea,
    event_id            text,
    event_type          text,
    cause               text        NOT NULL CHECK (cause IN ('unreadable', 'failed')),
    reason              text        NOT NULL,
    exception_class     text        NOT NULL,
    attempts            integer     NOT NULL CHECK (attempts >= 1),
    dead_letter_topic   text        NOT NULL,
    parked_at           timestamptz NOT NULL DEFAULT now(),
    replayed_at         timestamptz,
    last_replay_failure text,
    UNIQUE (consumer_group, topic, partition, "offset")
);

CREATE INDEX parked_event_newest ON parked_event (parked_at DESC, id DESC);
CREATE INDEX parked_event_waiting ON parked_event (parked_at) WHERE replayed_at IS NULL;
