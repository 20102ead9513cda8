-- The event table is the outbox: the relay and the projector read it in (transaction_id, position) order.
CREATE INDEX event_commit_order ON event (transaction_id, position);

-- Events are facts: the database itself refuses to change or remove one, whoever asks.
CREATE FUNCTION event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event store is append-only: % on event is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER event_no_update_or_delete BEFORE UPDATE OR DELETE ON event
    FOR EACH ROW EXECUTE FUNCTION event_is_append_only();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event
    FOR EACH STATEMENT EXECUTE FUNCTION event_is_append_only();

-- Wakes the relay and the projector (LISTEN event_appended) when an appending transaction commits;
-- PostgreSQL delivers a notification only on commit and folds identical ones of a transaction into one.
CREATE FUNCTION notify_event_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('event_appended', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER event_appended AFTER INSERT ON event
    FOR EACH STATEMENT EXECUTE FUNCTION notify_event_appended();

-- Which event store this is: the relay stamps it on every record so that, when it reconciles its checkpoint
-- with what a topic already holds, it never mistakes another store's records (a restored copy, a test) for its own.
CREATE TABLE event_store_identity (
    store_id   uuid        NOT NULL PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    singleton  boolean     NOT NULL DEFAULT true UNIQUE CHECK (singleton)
);
INSERT INTO event_store_identity (store_id) VALUES (gen_random_uuid());

-- A POST retried with the same Idempotency-Key gets the first answer back; written in the append's transaction.
CREATE TABLE idempotency_record (
    principal        text        NOT NULL,
    idempotency_key  text        NOT NULL,
    request_hash     text        NOT NULL,
    status           integer     NOT NULL,
    location         text,
    etag             text,
    body             text        NOT NULL,
    stream_id        uuid        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, idempotency_key)
);

-- Where the relay and the projector stand in (transaction_id, position) order.
CREATE TABLE checkpoint (
    name                text        NOT NULL PRIMARY KEY,
    last_transaction_id xid8        NOT NULL,
    last_position       bigint      NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
INSERT INTO checkpoint (name, last_transaction_id, last_position) VALUES
    ('relay:incident-events', '0', 0),
    ('projection:read-models', '0', 0);

-- Read model: the incident list.
CREATE TABLE incident_summary (
    incident_id    uuid        NOT NULL PRIMARY KEY,
    title          text        NOT NULL,
    severity       text        NOT NULL,
    impact         text        NOT NULL,
    status         text        NOT NULL,
    components     jsonb       NOT NULL,
    services       text[]      NOT NULL,
    regions        text[]      NOT NULL,
    -- 'service/region' pairs, so that ?service=&region= is one index lookup.
    affected       text[]      NOT NULL,
    started_at     timestamptz NOT NULL,
    opened_at      timestamptz NOT NULL,
    opened_by      text        NOT NULL,
    updated_at     timestamptz NOT NULL,
    resolved_at    timestamptz,
    version        integer     NOT NULL,
    review_version integer
);
CREATE INDEX incident_summary_newest ON incident_summary (opened_at DESC, incident_id);
CREATE INDEX incident_summary_status ON incident_summary (status, opened_at DESC);
CREATE INDEX incident_summary_services ON incident_summary USING gin (services);
CREATE INDEX incident_summary_regions ON incident_summary USING gin (regions);
CREATE INDEX incident_summary_affected ON incident_summary USING gin (affected);

-- Read model: the components of every unresolved incident, one row per (service, region) it names.
CREATE TABLE incident_component (
    incident_id uuid NOT NULL,
    service     text NOT NULL,
    region      text NOT NULL,
    status      text NOT NULL,
    PRIMARY KEY (incident_id, service, region)
);
CREATE INDEX incident_component_service ON incident_component (service);

-- Read model behind /api/status: per service and region, the worst current status and the incidents causing it.
CREATE TABLE component_status (
    service    text        NOT NULL,
    region     text        NOT NULL,
    status     text        NOT NULL,
    incidents  jsonb       NOT NULL,
    -- When this (service, region) last changed status or causes: an event's time, so that a rebuild gives the same.
    since      timestamptz NOT NULL,
    PRIMARY KEY (service, region)
);

-- Rebuilds of the read models and their progress.
CREATE TABLE projection_rebuild (
    id           uuid        NOT NULL PRIMARY KEY,
    state        text        NOT NULL CHECK (state IN ('running', 'completed', 'failed')),
    processed    bigint      NOT NULL DEFAULT 0,
    total        bigint      NOT NULL,
    requested_by text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    error        text
);
