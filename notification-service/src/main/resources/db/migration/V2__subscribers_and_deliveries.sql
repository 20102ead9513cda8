-- People who receive notices. Empty services/regions mean "all". The address is unique regardless of case.
CREATE TABLE subscriber (
    id               uuid        PRIMARY KEY,
    email            text        NOT NULL,
    email_normalized text        NOT NULL,
    name             text,
    customer_id      text,
    services         text[]      NOT NULL DEFAULT '{}',
    regions          text[]      NOT NULL DEFAULT '{}',
    unsubscribed_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text        NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       text        NOT NULL,
    version          bigint      NOT NULL DEFAULT 1,
    CONSTRAINT subscriber_email_unique UNIQUE (email_normalized)
);
CREATE INDEX subscriber_customer ON subscriber (customer_id) WHERE customer_id IS NOT NULL;

-- The latest state this service has seen of each incident: update-posted and review-published carry neither title
-- nor severity, but their notices show them.
CREATE TABLE incident (
    incident_id    uuid        PRIMARY KEY,
    title          text        NOT NULL,
    severity       text        NOT NULL,
    status         text        NOT NULL,
    stream_version integer     NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- One row per consumed event that leads to email: what its notices render, as it was when the event arrived.
CREATE TABLE notice (
    event_id       uuid        PRIMARY KEY REFERENCES inbox (event_id),
    event_type     text        NOT NULL,
    incident_id    uuid,
    stream_version integer,
    occurred_at    timestamptz NOT NULL,
    content        jsonb       NOT NULL,
    recipients     integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notice_incident ON notice (incident_id, stream_version) WHERE incident_id IS NOT NULL;

-- One row per (event, subscriber): the unit of exactly-once. Senders claim rows with FOR UPDATE SKIP LOCKED; a row
-- whose lease ran out (its sender died) is pending again. event_id names a notice written in the same transaction by
-- the same statement sequence; it has no foreign key because checking one per row doubled the cost of a 100 000-row
-- fan-out.
CREATE TABLE delivery (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id        uuid        NOT NULL,
    subscriber_id   uuid        NOT NULL,
    incident_id     uuid,
    status          text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'coalesced')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    claimed_by      text,
    last_error      text,
    message_id      text,
    covered_by      uuid        REFERENCES delivery (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    CONSTRAINT delivery_once_per_event_and_subscriber UNIQUE (event_id, subscriber_id)
);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_leased ON delivery (lease_until) WHERE status = 'sending';
CREATE INDEX delivery_thread ON delivery (incident_id, subscriber_id) WHERE incident_id IS NOT NULL;
CREATE INDEX delivery_subscriber ON delivery (subscriber_id, status);
CREATE INDEX delivery_covered_by ON delivery (covered_by) WHERE covered_by IS NOT NULL;

