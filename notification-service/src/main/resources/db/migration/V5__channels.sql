-- A delivery is (notice, recipient, channel): the pipeline (claims, leases, retries, coalescing, the log) is the same
-- for every channel, and only the channel knows how to reach its recipient.
ALTER TABLE delivery RENAME COLUMN subscriber_id TO recipient_id;
ALTER TABLE delivery ADD COLUMN channel text NOT NULL DEFAULT 'email';
-- Every writer names the channel; the default only filled the rows that existed.
ALTER TABLE delivery ALTER COLUMN channel DROP DEFAULT;

-- The first notice of an incident to reach a recipient on a channel opens its thread (an email's root Message-ID);
-- which one does is decided when it is claimed. The ids themselves are the email channel's business.
ALTER TABLE delivery ADD COLUMN opens_thread boolean NOT NULL DEFAULT false;
UPDATE delivery SET opens_thread = true WHERE message_id LIKE '<incident-%';
ALTER TABLE delivery DROP COLUMN message_id;

ALTER TABLE delivery DROP CONSTRAINT delivery_once_per_event_and_subscriber;
ALTER TABLE delivery ADD CONSTRAINT delivery_once_per_event_recipient_and_channel UNIQUE (event_id, recipient_id, channel);

-- The claim's order: due first, and among rows due at the same moment (a fan-out's all are) those already attempted,
-- so that the rows of an instance that died mid-send go out before the rest of the queue.
DROP INDEX delivery_due;
CREATE INDEX delivery_due ON delivery (next_attempt_at, attempts DESC) WHERE status = 'pending';

DROP INDEX delivery_thread;
CREATE INDEX delivery_thread ON delivery (incident_id, recipient_id, channel) WHERE incident_id IS NOT NULL;
DROP INDEX delivery_subscriber;
CREATE INDEX delivery_recipient ON delivery (recipient_id, channel, status);
-- The rows being sent: few (senders × batch), read by every claim ("is a row of this thread being sent?"), by the
-- heartbeat that renews an instance's leases and by the sweep of expired ones. lease_until is in no index, so that a
-- renewal can be a HOT update.
DROP INDEX delivery_leased;
CREATE INDEX delivery_sending ON delivery (incident_id, recipient_id, channel) WHERE status = 'sending';

-- Everyone a notice can go to, over every channel: the fan-out's recipient rule, the cancellation of a recipient who
-- left and the requeue of a failed send read this view and nothing channel-specific. A channel adds its recipients
-- with CREATE OR REPLACE VIEW … UNION ALL (same columns, its own channel name). Empty services/regions mean "all".
CREATE VIEW recipient (id, channel, services, regions, customer_id, active) AS
SELECT s.id, 'email'::text, s.services, s.regions, s.customer_id, s.unsubscribed_at IS NULL
FROM subscriber s;
