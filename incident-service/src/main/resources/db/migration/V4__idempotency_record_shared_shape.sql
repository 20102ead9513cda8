-- The idempotency records of every service have one shape (platform.idempotency): the stored answer and its request's
-- fingerprint. The incident an answer is about is in its Location and body already; nothing reads stream_id.
ALTER TABLE idempotency_record DROP COLUMN stream_id;
