-- A ticket's life, one row per change, appended in the same transaction as the change.
CREATE TABLE ticket_history (
    id TEXT COLLATE "C" PRIMARY KEY,
    ticket_id TEXT COLLATE "C" NOT NULL REFERENCES tickets (id),
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('created', 'status_changed', 'priority_changed', 'assigned', 'reassigned')),
    at BIGINT NOT NULL,
    actor TEXT COLLATE "C" NOT NULL DEFAULT '',
    from_status TEXT COLLATE "C",
    to_status TEXT COLLATE "C",
    note TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, at, id);
