-- Recipients of the test-only channel "recording" (support/RecordingChannel), added to the recipient view whatever
-- the main migrations made of it: the pipeline's channel-neutral queries see them as they will see a real channel's.
CREATE TABLE test_channel_recipient (
    id          uuid    PRIMARY KEY,
    services    text[]  NOT NULL DEFAULT '{}',
    regions     text[]  NOT NULL DEFAULT '{}',
    customer_id text,
    active      boolean NOT NULL DEFAULT true
);

ALTER VIEW recipient RENAME TO recipient_of_service_channels;
CREATE VIEW recipient (id, channel, services, regions, customer_id, active) AS
SELECT id, channel, services, regions, customer_id, active FROM recipient_of_service_channels
UNION ALL
SELECT id, 'recording', services, regions, customer_id, active FROM test_channel_recipient;
