-- The idempotency records of every service have one shape (platform.idempotency): the answer's ETag is stored with it,
-- so that a replay carries exactly the header the first answer carried. A contract or policy version answered with
-- 201 carried a strong validator of its body, the first 32 hex digits of SHA-256("ETag \n" || body).
ALTER TABLE idempotency_record ADD COLUMN etag text;
UPDATE idempotency_record
   SET etag = '"' || substr(encode(sha256(convert_to('ETag ' || chr(10) || body, 'UTF8')), 'hex'), 1, 32) || '"'
 WHERE status = 201;
