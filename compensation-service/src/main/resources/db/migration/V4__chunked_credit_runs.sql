-- A credit run: what one resolution decided for one (service, billing month), applied to the service's contracts in
-- short transactions of a few thousand contracts each, in contract id order. The consumer of incident-events writes
-- the run with its decisions (credit_decision rows of the same resolution, service and month) in its own short
-- transaction; the worker then moves done_through in the transaction of each chunk, so a chunk commits with its
-- progress or not at all, and a run resumes after a crash where it stopped. The ledger's unique key makes a chunk
-- that is run twice insert nothing twice anyway.
CREATE TABLE credit_run (
    -- Runs of one (service, month) are applied in this order, one after the other: each computes its difference
    -- from what the earlier ones issued.
    run_id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resolution_event_id uuid        NOT NULL,
    incident_id         uuid        NOT NULL,
    service             text        NOT NULL,
    billing_month       date        NOT NULL,
    correlation_id      text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- The highest contract id of the service already applied (null: none yet).
    done_through        uuid,
    chunks              integer     NOT NULL DEFAULT 0,
    entries             bigint      NOT NULL DEFAULT 0,
    finished_at         timestamptz,
    UNIQUE (resolution_event_id, service, billing_month)
);
CREATE INDEX credit_run_pending ON credit_run (service, billing_month, run_id) WHERE finished_at IS NULL;
CREATE INDEX credit_decision_run ON credit_decision (resolution_event_id, service, billing_month);

-- The credit rule is Java (domain CreditRule), applied per contract by the credit-run worker; the SQL copy goes.
DROP FUNCTION money_credit(numeric, integer, numeric, numeric, numeric);
DROP FUNCTION round_half_even(numeric, integer);
