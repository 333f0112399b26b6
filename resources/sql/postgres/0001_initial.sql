-- MedDispatch schema, PostgreSQL dialect. Keep in step with sqlite/0001_initial.sql.
-- Ids are UUID text; *_at columns are UTC epoch milliseconds; dates are 'YYYY-MM-DD'.
-- *_folded / search_text hold case-folded copies for substring search.
-- Text columns use the "C" collation so ordering is bytewise, as on SQLite.

CREATE TABLE settings (
    key TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE organizations (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL,
    name_folded TEXT COLLATE "C" NOT NULL,
    type TEXT COLLATE "C" NOT NULL CHECK (type IN ('hospital', 'manufacturer', 'authorized_partner', 'service_provider')),
    address TEXT COLLATE "C" NOT NULL DEFAULT '',
    city TEXT COLLATE "C" NOT NULL DEFAULT '',
    country TEXT COLLATE "C" NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    phone TEXT COLLATE "C" NOT NULL DEFAULT '',
    email TEXT COLLATE "C" NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- Counters kept by the triggers below, so include_counts never scans.
    equipment_count BIGINT NOT NULL DEFAULT 0,
    engineers_count BIGINT NOT NULL DEFAULT 0,
    active_tickets_count BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX organizations_name ON organizations (name, id);
CREATE INDEX organizations_type_name ON organizations (type, name, id);

-- What an authorized partner is authorized for ('authorized') or a multi-brand
-- provider services ('services').
CREATE TABLE organization_service_scopes (
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('authorized', 'services')),
    manufacturer_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    category TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (organization_id, position)
);
CREATE INDEX organization_service_scopes_lookup
    ON organization_service_scopes (manufacturer_id, category, kind, organization_id);

CREATE TABLE equipment (
    id TEXT COLLATE "C" PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    manufacturer_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    name TEXT COLLATE "C" NOT NULL,
    model TEXT COLLATE "C" NOT NULL DEFAULT '',
    serial_number TEXT COLLATE "C" NOT NULL DEFAULT '',
    category TEXT COLLATE "C" NOT NULL,
    department TEXT COLLATE "C" NOT NULL DEFAULT '',
    room TEXT COLLATE "C" NOT NULL DEFAULT '',
    install_date TEXT COLLATE "C",
    warranty_end TEXT COLLATE "C",
    service_contract_end TEXT COLLATE "C",
    criticality TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    qr_code TEXT COLLATE "C" UNIQUE,
    gtin TEXT COLLATE "C",
    search_text TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX equipment_name ON equipment (name, id);
CREATE INDEX equipment_organization ON equipment (organization_id, name, id);
CREATE INDEX equipment_manufacturer ON equipment (manufacturer_id, name, id);
CREATE INDEX equipment_category ON equipment (category, name, id);
CREATE INDEX equipment_status ON equipment (status, name, id);
CREATE INDEX equipment_serial ON equipment (serial_number);
CREATE INDEX equipment_gtin ON equipment (gtin) WHERE gtin IS NOT NULL;

CREATE TABLE engineers (
    id TEXT COLLATE "C" PRIMARY KEY,
    user_id TEXT COLLATE "C" UNIQUE,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    name TEXT COLLATE "C" NOT NULL,
    name_folded TEXT COLLATE "C" NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    phone TEXT COLLATE "C" NOT NULL DEFAULT '',
    email TEXT COLLATE "C" NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    open_assignments INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX engineers_name ON engineers (name, id);
CREATE INDEX engineers_organization ON engineers (organization_id, name, id);
-- Dispatch: the engineers of a tier organization who are active and senior enough.
CREATE INDEX engineers_dispatch ON engineers (organization_id, active, level);
CREATE INDEX engineers_level ON engineers (level, name, id);

CREATE TABLE engineer_manufacturers (
    engineer_id TEXT COLLATE "C" NOT NULL REFERENCES engineers (id) ON DELETE CASCADE,
    manufacturer_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (engineer_id, manufacturer_id)
);
CREATE INDEX engineer_manufacturers_lookup ON engineer_manufacturers (manufacturer_id, engineer_id);

CREATE TABLE engineer_categories (
    engineer_id TEXT COLLATE "C" NOT NULL REFERENCES engineers (id) ON DELETE CASCADE,
    category TEXT COLLATE "C" NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (engineer_id, category)
);
CREATE INDEX engineer_categories_lookup ON engineer_categories (category, engineer_id);

CREATE TABLE engineer_certifications (
    engineer_id TEXT COLLATE "C" NOT NULL REFERENCES engineers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    manufacturer_id TEXT COLLATE "C",
    category TEXT COLLATE "C",
    expires_on TEXT COLLATE "C",
    PRIMARY KEY (engineer_id, position)
);

CREATE TABLE ticket_sequences (
    year INTEGER PRIMARY KEY,
    last_value BIGINT NOT NULL
);

CREATE TABLE tickets (
    id TEXT COLLATE "C" PRIMARY KEY,
    number TEXT COLLATE "C" NOT NULL UNIQUE,
    equipment_id TEXT COLLATE "C" NOT NULL REFERENCES equipment (id),
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    reporter_name TEXT COLLATE "C" NOT NULL DEFAULT '',
    reporter_contact TEXT COLLATE "C" NOT NULL DEFAULT '',
    reporter_user_id TEXT COLLATE "C",
    channel TEXT COLLATE "C" NOT NULL,
    priority TEXT COLLATE "C" NOT NULL CHECK (priority IN ('critical', 'high', 'normal', 'low')),
    status TEXT COLLATE "C" NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled')),
    title TEXT COLLATE "C" NOT NULL DEFAULT '',
    description TEXT COLLATE "C" NOT NULL DEFAULT '',
    search_text TEXT COLLATE "C" NOT NULL,
    -- The active assignment's engineer and tier, kept by the assignment triggers.
    assigned_engineer_id TEXT COLLATE "C" REFERENCES engineers (id),
    assigned_tier INTEGER,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    assigned_at BIGINT,
    resolved_at BIGINT,
    closed_at BIGINT,
    response_due_at BIGINT,
    resolution_due_at BIGINT
);
CREATE INDEX tickets_created ON tickets (created_at, id);
CREATE INDEX tickets_organization ON tickets (organization_id, created_at, id);
CREATE INDEX tickets_equipment ON tickets (equipment_id, created_at, id);
CREATE INDEX tickets_engineer ON tickets (assigned_engineer_id, created_at, id)
    WHERE assigned_engineer_id IS NOT NULL;
CREATE INDEX tickets_status ON tickets (status, created_at, id);
CREATE INDEX tickets_priority ON tickets (priority, created_at, id);
-- No index on assigned_tier: four values, filtered while walking tickets_created.
CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;

CREATE TABLE assignments (
    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    ticket_id TEXT COLLATE "C" NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    engineer_id TEXT COLLATE "C" NOT NULL REFERENCES engineers (id),
    tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 4),
    status TEXT COLLATE "C" NOT NULL CHECK (status IN ('active', 'completed', 'reassigned', 'cancelled')),
    assigned_by TEXT COLLATE "C" NOT NULL DEFAULT '',
    reason TEXT COLLATE "C" NOT NULL DEFAULT '',
    match_score INTEGER NOT NULL DEFAULT -1,
    assigned_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX assignments_ticket ON assignments (ticket_id, assigned_at, seq);
CREATE UNIQUE INDEX assignments_one_active ON assignments (ticket_id) WHERE status = 'active';
CREATE INDEX assignments_engineer ON assignments (engineer_id, status);

-- Counters. Statement-level triggers with transition tables: one UPDATE per statement
-- and organization however many rows a multi-row INSERT carries; each runs in the
-- transaction of the change it counts.

CREATE FUNCTION md_equipment_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE organizations o SET equipment_count = o.equipment_count + d.n
        FROM (SELECT organization_id, count(*) AS n FROM new_rows GROUP BY organization_id) d
        WHERE o.id = d.organization_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE organizations o SET equipment_count = o.equipment_count - d.n
        FROM (SELECT organization_id, count(*) AS n FROM old_rows GROUP BY organization_id) d
        WHERE o.id = d.organization_id;
    ELSE
        UPDATE organizations o SET equipment_count = o.equipment_count + d.n
        FROM (SELECT organization_id, sum(n) AS n
              FROM (SELECT organization_id, 1 AS n FROM new_rows
                    UNION ALL SELECT organization_id, -1 FROM old_rows) c
              GROUP BY organization_id HAVING sum(n) <> 0) d
        WHERE o.id = d.organization_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER equipment_counts_insert AFTER INSERT ON equipment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION md_equipment_counts();
CREATE TRIGGER equipment_counts_update AFTER UPDATE ON equipment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION md_equipment_counts();
CREATE TRIGGER equipment_counts_delete AFTER DELETE ON equipment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION md_equipment_counts();

CREATE FUNCTION md_engineers_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE organizations o SET engineers_count = o.engineers_count + d.n
        FROM (SELECT organization_id, count(*) AS n FROM new_rows GROUP BY organization_id) d
        WHERE o.id = d.organization_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE organizations o SET engineers_count = o.engineers_count - d.n
        FROM (SELECT organization_id, count(*) AS n FROM old_rows GROUP BY organization_id) d
        WHERE o.id = d.organization_id;
    ELSE
        UPDATE organizations o SET engineers_count = o.engineers_count + d.n
        FROM (SELECT organization_id, sum(n) AS n
              FROM (SELECT organization_id, 1 AS n FROM new_rows
                    UNION ALL SELECT organization_id, -1 FROM old_rows) c
              GROUP BY organization_id HAVING sum(n) <> 0) d
        WHERE o.id = d.organization_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER engineers_counts_insert AFTER INSERT ON engineers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION md_engineers_counts();
CREATE TRIGGER engineers_counts_update AFTER UPDATE ON engineers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION md_engineers_counts();
CREATE TRIGGER engineers_counts_delete AFTER DELETE ON engineers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION md_engineers_counts();

-- Active tickets: new, assigned, in_progress, on_hold (domain::isOpen).
CREATE FUNCTION md_ticket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE organizations o SET active_tickets_count = o.active_tickets_count + d.n
        FROM (SELECT organization_id, count(*) AS n FROM new_rows
              WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold')
              GROUP BY organization_id) d
        WHERE o.id = d.organization_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE organizations o SET active_tickets_count = o.active_tickets_count - d.n
        FROM (SELECT organization_id, count(*) AS n FROM old_rows
              WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold')
              GROUP BY organization_id) d
        WHERE o.id = d.organization_id;
    ELSE
        UPDATE organizations o SET active_tickets_count = o.active_tickets_count + d.n
        FROM (SELECT organization_id, sum(n) AS n
              FROM (SELECT organization_id, 1 AS n FROM new_rows
                    WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold')
                    UNION ALL
                    SELECT organization_id, -1 FROM old_rows
                    WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold')) c
              GROUP BY organization_id HAVING sum(n) <> 0) d
        WHERE o.id = d.organization_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ticket_counts_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION md_ticket_counts();
CREATE TRIGGER ticket_counts_update AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION md_ticket_counts();
CREATE TRIGGER ticket_counts_delete AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION md_ticket_counts();

-- Open assignments per engineer, and the ticket's current engineer and tier.
CREATE FUNCTION md_assignment_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE engineers e SET open_assignments = e.open_assignments + d.n
        FROM (SELECT engineer_id, count(*) AS n FROM new_rows WHERE status = 'active'
              GROUP BY engineer_id) d
        WHERE e.id = d.engineer_id;
        UPDATE tickets t SET assigned_engineer_id = a.engineer_id, assigned_tier = a.tier
        FROM (SELECT DISTINCT ticket_id FROM new_rows) c
        LEFT JOIN assignments a ON a.ticket_id = c.ticket_id AND a.status = 'active'
        WHERE t.id = c.ticket_id
          AND (t.assigned_engineer_id IS DISTINCT FROM a.engineer_id
               OR t.assigned_tier IS DISTINCT FROM a.tier);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE engineers e SET open_assignments = e.open_assignments - d.n
        FROM (SELECT engineer_id, count(*) AS n FROM old_rows WHERE status = 'active'
              GROUP BY engineer_id) d
        WHERE e.id = d.engineer_id;
        UPDATE tickets t SET assigned_engineer_id = a.engineer_id, assigned_tier = a.tier
        FROM (SELECT DISTINCT ticket_id FROM old_rows) c
        LEFT JOIN assignments a ON a.ticket_id = c.ticket_id AND a.status = 'active'
        WHERE t.id = c.ticket_id
          AND (t.assigned_engineer_id IS DISTINCT FROM a.engineer_id
               OR t.assigned_tier IS DISTINCT FROM a.tier);
    ELSE
        UPDATE engineers e SET open_assignments = e.open_assignments + d.n
        FROM (SELECT engineer_id, sum(n) AS n
              FROM (SELECT engineer_id, 1 AS n FROM new_rows WHERE status = 'active'
                    UNION ALL
                    SELECT engineer_id, -1 FROM old_rows WHERE status = 'active') c
              GROUP BY engineer_id HAVING sum(n) <> 0) d
        WHERE e.id = d.engineer_id;
        UPDATE tickets t SET assigned_engineer_id = a.engineer_id, assigned_tier = a.tier
        FROM (SELECT ticket_id FROM new_rows UNION SELECT ticket_id FROM old_rows) c
        LEFT JOIN assignments a ON a.ticket_id = c.ticket_id AND a.status = 'active'
        WHERE t.id = c.ticket_id
          AND (t.assigned_engineer_id IS DISTINCT FROM a.engineer_id
               OR t.assigned_tier IS DISTINCT FROM a.tier);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER assignment_counts_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION md_assignment_counts();
CREATE TRIGGER assignment_counts_update AFTER UPDATE ON assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION md_assignment_counts();
CREATE TRIGGER assignment_counts_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION md_assignment_counts();
