-- A ticket's life, one row per change, appended in the same transaction as the change.
CREATE TABLE ticket_history (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    kind TEXT NOT NULL CHECK (kind IN ('created', 'status_changed', 'priority_changed', 'assigned', 'reassigned')),
    at BIGINT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    from_status TEXT,
    to_status TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, at, id);
