-- Rows that are history, not state: refused UPDATE, DELETE and TRUNCATE, whoever asks.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- SLA policies, versioned. A version is never edited; the only change allowed is the one-way 'used' flag the first
-- credit computed with it sets, and a used version can never be removed.
CREATE TABLE policy_version (
    policy_id      text        NOT NULL CHECK (policy_id ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    version        integer     NOT NULL CHECK (version >= 1),
    kind           text        NOT NULL CHECK (kind IN ('money', 'extension')),
    -- [{"belowUptimePercent": 99.9, "creditPercent": 10}, …] or with "extensionDays"; thresholds strictly decreasing.
    tiers          jsonb       NOT NULL,
    effective_from date        NOT NULL CHECK (extract(day FROM effective_from) = 1),
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    recorded_by    text        NOT NULL,
    used           boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (policy_id, version)
);

CREATE FUNCTION policy_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'policy % version % is history: DELETE refused', OLD.policy_id, OLD.version
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.used OR NOT NEW.used
            OR (NEW.policy_id, NEW.version, NEW.kind, NEW.tiers, NEW.effective_from, NEW.recorded_at, NEW.recorded_by)
               IS DISTINCT FROM (OLD.policy_id, OLD.version, OLD.kind, OLD.tiers, OLD.effective_from, OLD.recorded_at, OLD.recorded_by) THEN
        RAISE EXCEPTION 'policy % version % never changes (only its first use is recorded)', OLD.policy_id, OLD.version
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER policy_version_guard BEFORE UPDATE OR DELETE ON policy_version FOR EACH ROW EXECUTE FUNCTION policy_version_guard();
CREATE TRIGGER policy_version_no_truncate BEFORE TRUNCATE ON policy_version FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The policies the service ships with (the providers' published figures), in force from the beginning.
INSERT INTO policy_version (policy_id, version, kind, tiers, effective_from, recorded_by) VALUES
    ('azure-vm-99.99', 1, 'money',
     '[{"belowUptimePercent": 99.99, "creditPercent": 10}, {"belowUptimePercent": 99, "creditPercent": 25}, {"belowUptimePercent": 95, "creditPercent": 100}]',
     DATE '2000-01-01', 'compensation-service'),
    ('azure-99.9', 1, 'money',
     '[{"belowUptimePercent": 99.9, "creditPercent": 10}, {"belowUptimePercent": 99, "creditPercent": 25}]',
     DATE '2000-01-01', 'compensation-service'),
    ('m365-99.9', 1, 'money',
     '[{"belowUptimePercent": 99.9, "creditPercent": 25}, {"belowUptimePercent": 99, "creditPercent": 50}, {"belowUptimePercent": 95, "creditPercent": 100}]',
     DATE '2000-01-01', 'compensation-service'),
    ('extension-99.9', 1, 'extension',
     '[{"belowUptimePercent": 99.9, "extensionDays": 3}, {"belowUptimePercent": 99, "extensionDays": 7}, {"belowUptimePercent": 95, "extensionDays": 30}]',
     DATE '2000-01-01', 'compensation-service');

-- Customer contracts: identity here, terms in versions. A change is a new version that applies from the month it
-- names; the version for month M is the highest version with effective_from <= M. Nothing is overwritten.
CREATE TABLE contract (
    contract_id uuid        PRIMARY KEY,
    customer_id text        NOT NULL CHECK (length(customer_id) BETWEEN 1 AND 100),
    service     text        NOT NULL CHECK (service ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL
);
CREATE INDEX contract_service ON contract (service, contract_id);
CREATE INDEX contract_customer ON contract (customer_id, contract_id);

CREATE TABLE contract_version (
    contract_id     uuid        NOT NULL REFERENCES contract,
    version         integer     NOT NULL CHECK (version >= 1),
    -- Sorted, distinct; exactly {global} or concrete regions (so equal sets compare equal).
    regions         text[]      NOT NULL CHECK (cardinality(regions) >= 1),
    monthly_fee     numeric     NOT NULL CHECK (monthly_fee > 0),
    currency        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- ISO 4217 minor unit of the currency (java.util.Currency), the scale amounts are rounded to.
    currency_digits smallint    NOT NULL CHECK (currency_digits BETWEEN 0 AND 4),
    policy_id       text        NOT NULL,
    effective_from  date        NOT NULL CHECK (extract(day FROM effective_from) = 1),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    recorded_by     text        NOT NULL,
    PRIMARY KEY (contract_id, version),
    CHECK (scale(monthly_fee) <= currency_digits)
);

CREATE TRIGGER contract_append_only BEFORE UPDATE OR DELETE ON contract FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER contract_no_truncate BEFORE TRUNCATE ON contract FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER contract_version_append_only BEFORE UPDATE OR DELETE ON contract_version FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER contract_version_no_truncate BEFORE TRUNCATE ON contract_version FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- What the incident events said about impact, one row per applied event (the source the windows are computed from).
CREATE TABLE incident_event (
    event_id       uuid        PRIMARY KEY,
    incident_id    uuid        NOT NULL,
    stream_version integer     NOT NULL,
    event_type     text        NOT NULL,
    effective_at   timestamptz NOT NULL,
    resolves       boolean     NOT NULL,
    -- [{service, regions, status}] as the event carried them.
    components     jsonb       NOT NULL,
    actor          text        NOT NULL,
    correlation_id text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    UNIQUE (incident_id, stream_version)
);

-- Outage windows per incident, service and region ('global' = the regions no event of the incident names), derived
-- from incident_event by the domain and replaced when the incident's events change them; ends_at null while open.
CREATE TABLE outage_window (
    incident_id uuid        NOT NULL,
    service     text        NOT NULL,
    region      text        NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz,
    resolved    boolean     NOT NULL
);
CREATE INDEX outage_window_service ON outage_window (service, starts_at);
CREATE INDEX outage_window_incident ON outage_window (incident_id);

-- One decision per (resolution, service, region set, billing month, policy version): the downtime of that region set
-- in that month over all resolved incidents, the uptime and the tier. Every credit points at its decision, which
-- holds the shared part of its explanation (windows, minutes, month length, uptime, tier). Append-only.
CREATE TABLE credit_decision (
    decision_id         uuid        PRIMARY KEY,
    resolution_event_id uuid        NOT NULL,
    incident_id         uuid        NOT NULL,
    service             text        NOT NULL,
    regions             text[]      NOT NULL,
    billing_month       date        NOT NULL,
    policy_id           text        NOT NULL,
    policy_version      integer     NOT NULL,
    policy_kind         text        NOT NULL,
    incident_ids        uuid[]      NOT NULL,
    windows             jsonb       NOT NULL,
    downtime_seconds    numeric     NOT NULL,
    month_seconds       bigint      NOT NULL,
    uptime_percent      numeric     NOT NULL,
    tier_index          integer     NOT NULL,
    tier_below_percent  numeric     NOT NULL,
    tier_percent        numeric,
    tier_days           integer,
    triggered_by        text        NOT NULL,
    decided_at          timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (policy_id, policy_version) REFERENCES policy_version
);
CREATE TRIGGER credit_decision_append_only BEFORE UPDATE OR DELETE ON credit_decision FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER credit_decision_no_truncate BEFORE TRUNCATE ON credit_decision FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. PostgreSQL 15 has no uuidv7().
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
               PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
           52, 1), 53, 1), 'hex')::uuid
$$;

-- The ledger, and the outbox of credit-issued: append-only. One entry per (contract, billing month, incident whose
-- resolution triggered it): a second issue of the same credit violates the key, even from a racing instance.
-- status 'below_minimum' records a difference too small to issue (never published, never counted as issued).
CREATE TABLE credit (
    position         bigint      GENERATED ALWAYS AS IDENTITY,
    -- Time-ordered ids: a million entries written by one statement append to the index instead of scattering.
    credit_id        uuid        PRIMARY KEY DEFAULT uuid_v7(),
    event_id         uuid        NOT NULL DEFAULT uuid_v7(),
    -- No foreign key: the decision is written just before, in the same transaction, and is append-only; a million
    -- FK checks cost seconds per outage for nothing.
    decision_id      uuid        NOT NULL,
    -- No foreign key to contract: contracts are append-only (never deleted), and a million FK look-ups would slow the
    -- one INSERT … SELECT that credits an outage.
    contract_id      uuid        NOT NULL,
    contract_version integer     NOT NULL,
    customer_id      text        NOT NULL,
    service          text        NOT NULL,
    billing_month    date        NOT NULL,
    incident_id      uuid        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('issued', 'below_minimum')),
    kind             text        NOT NULL CHECK (kind IN ('original', 'adjustment')),
    monthly_fee      numeric     NOT NULL,
    currency         char(3)     NOT NULL,
    credit_percent   numeric     CHECK (credit_percent > 0 AND credit_percent <= 100),
    amount           numeric     CHECK (amount > 0),
    extension_days   integer     CHECK (extension_days > 0),
    issued_at        timestamptz NOT NULL DEFAULT now(),
    actor            text        NOT NULL,
    correlation_id   text        NOT NULL,
    causation_id     text        NOT NULL,
    -- The writing transaction: the relay publishes in (transaction_id, position) order, only below the oldest
    -- transaction still in flight, so a slow transaction's rows are never skipped.
    transaction_id   xid8        NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT credit_once UNIQUE (contract_id, billing_month, incident_id),
    CHECK ((amount IS NOT NULL AND credit_percent IS NOT NULL) OR extension_days IS NOT NULL)
);
CREATE INDEX credit_relay_order ON credit (transaction_id, position);
CREATE INDEX credit_month ON credit (billing_month, service);
CREATE INDEX credit_incident ON credit (incident_id);
CREATE INDEX credit_customer ON credit (customer_id);
CREATE TRIGGER credit_append_only BEFORE UPDATE OR DELETE ON credit FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER credit_no_truncate BEFORE TRUNCATE ON credit FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- How far the relay has published the ledger to credit-events.
CREATE TABLE relay_checkpoint (
    name           text   PRIMARY KEY,
    transaction_id xid8   NOT NULL,
    position       bigint NOT NULL
);
INSERT INTO relay_checkpoint VALUES ('credit-events', '0'::xid8, 0);

-- Half-even rounding to `digits` decimals. PostgreSQL's round(numeric) rounds half away from zero, which is already
-- half-even when the last kept digit is odd; only an exact half after an even digit must go toward zero (trunc).
-- numeric arithmetic is exact. Single expressions without FROM, so the planner inlines them into the crediting
-- INSERT … SELECT instead of calling a function per row. CreditRule (Java) is the specification.
-- (Not declared STRICT: PostgreSQL inlines a STRICT SQL function only if it can prove its body strict.)
CREATE FUNCTION round_half_even(v numeric, digits integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN abs(v - trunc(v, digits)) * power(10::numeric, digits) = 0.5
                     AND mod(trunc(v * power(10::numeric, digits)), 2) = 0
                THEN trunc(v, digits)
                ELSE round(v, digits) END
$$;

-- The money a contract gets for a month (null: nothing to issue): CreditRule.money in SQL, tested against it.
CREATE FUNCTION money_credit(fee numeric, digits integer, tier_percent numeric, issued_percent numeric, issued_amount numeric)
    RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN tier_percent > issued_percent
                     AND least(round_half_even(fee * tier_percent * 0.01, digits), fee) - issued_amount > 0
                THEN least(round_half_even(fee * tier_percent * 0.01, digits), fee) - issued_amount END
$$;
