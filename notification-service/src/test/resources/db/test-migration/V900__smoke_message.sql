-- Written by the smoke test's Kafka consumer, read back by the test.
CREATE TABLE smoke_message (
    id          text PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now()
);
