-- The feeds of incidents read the newest incident notices first and stop at notification.feeds.max-entries. Credit
-- notices (one per credited contract: a million in one credit run) are never in a feed, so they are not in the index:
-- without it, each feed request sorted every notice.
CREATE INDEX notice_feed ON notice (occurred_at DESC, event_id DESC)
    WHERE event_type IN ('incident-opened', 'update-posted', 'review-published');
