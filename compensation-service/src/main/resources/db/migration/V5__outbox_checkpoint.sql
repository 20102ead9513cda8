-- Where each subscription over an append-only table stands (the platform's outbox: the credit relay), in
-- (transaction_id, position) order; the same table in every service that has one.
CREATE TABLE checkpoint (
    name                text        NOT NULL PRIMARY KEY,
    last_transaction_id xid8        NOT NULL,
    last_position       bigint      NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
INSERT INTO checkpoint (name, last_transaction_id, last_position)
    SELECT 'relay:credit-events', transaction_id, position FROM relay_checkpoint WHERE name = 'credit-events';
DROP TABLE relay_checkpoint;

-- Which ledger this is: the relay puts it into its Kafka transactional id and into every record, so that, when it
-- reconciles its checkpoint with what credit-events already holds, it never mistakes another ledger's records (a
-- restored copy, a test) for its own.
CREATE TABLE store_identity (
    store_id   uuid        NOT NULL PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    singleton  boolean     NOT NULL DEFAULT true UNIQUE CHECK (singleton)
);
INSERT INTO store_identity (store_id) VALUES (gen_random_uuid());

-- Wakes the relay (LISTEN credit_appended) when a transaction that wrote credits commits; PostgreSQL delivers a
-- notification only on commit and folds identical ones of a transaction into one.
CREATE FUNCTION notify_credit_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('credit_appended', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER credit_appended AFTER INSERT ON credit
    FOR EACH STATEMENT EXECUTE FUNCTION notify_credit_appended();
