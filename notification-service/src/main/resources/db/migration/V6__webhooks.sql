-- Webhook endpoints: a URL that receives signed notices (CloudEvents JSON, Slack Block Kit or a Teams Adaptive Card)
-- about the services and regions it follows, like a subscriber. Empty services/regions mean "all"; customer_id makes
-- the endpoint receive that customer's credit notices too. A deleted endpoint is a deleted row.
CREATE TABLE webhook_endpoint (
    id                         uuid        PRIMARY KEY,
    url                        text        NOT NULL,
    format                     text        NOT NULL CHECK (format IN ('generic', 'slack', 'teams')),
    services                   text[]      NOT NULL DEFAULT '{}',
    regions                    text[]      NOT NULL DEFAULT '{}',
    customer_id                text,
    -- Whom to tell when the endpoint is disabled for failing.
    contact                    text,
    -- Signing secrets ("whsec_…"), each AES-256-GCM encrypted under notification.webhooks.encryption-key: the table
    -- alone does not give them away. The previous secret signs too until previous_secret_expires_at (rotation).
    secret                     text        NOT NULL,
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    secret_rotated_at          timestamptz,
    enabled                    boolean     NOT NULL DEFAULT true,
    disabled_at                timestamptz,
    disabled_reason            text,
    -- The first failure since the last success; cleared by a success. Failing for notification.webhooks.failing-period
    -- disables the endpoint.
    failing_since              timestamptz,
    last_success_at            timestamptz,
    last_failure_at            timestamptz,
    last_failure               text,
    -- The contact is mailed once per disabling: due until a mail went out (a sweep retries a failed one).
    contact_notice_due         boolean     NOT NULL DEFAULT false,
    contact_notice_lease_until timestamptz,
    contact_notified_at        timestamptz,
    contact_notice_attempts    integer     NOT NULL DEFAULT 0,
    contact_notice_last_error  text,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    created_by                 text        NOT NULL,
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    updated_by                 text        NOT NULL,
    version                    bigint      NOT NULL DEFAULT 1
);
CREATE INDEX webhook_endpoint_customer ON webhook_endpoint (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX webhook_endpoint_contact_notice_due ON webhook_endpoint (id) WHERE contact_notice_due;

-- Every recipient of every channel, as the fan-out chooses them: subscribers (email) and enabled webhook endpoints.
-- The first SELECT is the email channel's, as the channel migration writes it; CREATE OR REPLACE works whether or not
-- that view exists yet.
CREATE OR REPLACE VIEW recipient AS
    SELECT id, 'email'::text AS channel, services, regions, customer_id, unsubscribed_at IS NULL AS active FROM subscriber
    UNION ALL
    SELECT id, 'webhook'::text AS channel, services, regions, customer_id, enabled AS active FROM webhook_endpoint;

-- The first answer to each (caller, Idempotency-Key) of the POSTs that create a webhook or rotate its secret, in the
-- shape every service shares (platform.idempotency). Those answers carry a signing secret, so body holds them
-- encrypted like the secrets above.
CREATE TABLE idempotency_record (
    principal        text        NOT NULL,
    idempotency_key  text        NOT NULL,
    request_hash     text        NOT NULL,
    status           integer     NOT NULL,
    location         text,
    etag             text,
    body             text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, idempotency_key)
);
