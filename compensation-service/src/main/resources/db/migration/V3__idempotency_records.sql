-- The first answer to each (caller, Idempotency-Key) of the POSTs that create contracts, contract versions, imports and
-- policy versions. A client that lost an answer sends the request again with the same key and gets that answer back:
-- a retried create must never become a second contract, and so a second credit. Written in the transaction of the
-- change it answers, so both commit or neither does.
CREATE TABLE idempotency_record (
    principal        text        NOT NULL,
    idempotency_key  text        NOT NULL,
    request_hash     text        NOT NULL,  -- SHA-256 of method, path and body: the same key with another request is refused
    status           integer     NOT NULL,
    location         text,
    body             text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, idempotency_key)
);
