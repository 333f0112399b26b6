-- MedDispatch schema, SQLite dialect. Keep in step with postgres/0001_initial.sql.
-- Ids are UUID text; *_at columns are UTC epoch milliseconds; dates are 'YYYY-MM-DD'.
-- *_folded / search_text hold case-folded copies for substring search.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('hospital', 'manufacturer', 'authorized_partner', 'service_provider')),
    address TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
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
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('authorized', 'services')),
    manufacturer_id TEXT NOT NULL REFERENCES organizations (id),
    category TEXT NOT NULL,
    PRIMARY KEY (organization_id, position)
);
CREATE INDEX organization_service_scopes_lookup
    ON organization_service_scopes (manufacturer_id, category, kind, organization_id);

CREATE TABLE equipment (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    manufacturer_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    serial_number TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    install_date TEXT,
    warranty_end TEXT,
    service_contract_end TEXT,
    criticality TEXT NOT NULL,
    status TEXT NOT NULL,
    qr_code TEXT UNIQUE,
    gtin TEXT,
    search_text TEXT NOT NULL,
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
    id TEXT PRIMARY KEY,
    user_id TEXT UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    active INTEGER NOT NULL DEFAULT 1,
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
    engineer_id TEXT NOT NULL REFERENCES engineers (id) ON DELETE CASCADE,
    manufacturer_id TEXT NOT NULL REFERENCES organizations (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (engineer_id, manufacturer_id)
);
CREATE INDEX engineer_manufacturers_lookup ON engineer_manufacturers (manufacturer_id, engineer_id);

CREATE TABLE engineer_categories (
    engineer_id TEXT NOT NULL REFERENCES engineers (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (engineer_id, category)
);
CREATE INDEX engineer_categories_lookup ON engineer_categories (category, engineer_id);

CREATE TABLE engineer_certifications (
    engineer_id TEXT NOT NULL REFERENCES engineers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    manufacturer_id TEXT,
    category TEXT,
    expires_on TEXT,
    PRIMARY KEY (engineer_id, position)
);

CREATE TABLE ticket_sequences (
    year INTEGER PRIMARY KEY,
    last_value BIGINT NOT NULL
);

CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    equipment_id TEXT NOT NULL REFERENCES equipment (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    reporter_name TEXT NOT NULL DEFAULT '',
    reporter_contact TEXT NOT NULL DEFAULT '',
    reporter_user_id TEXT,
    channel TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('critical', 'high', 'normal', 'low')),
    status TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled')),
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL,
    -- The active assignment's engineer and tier, kept by the assignment triggers.
    assigned_engineer_id TEXT REFERENCES engineers (id),
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
    seq INTEGER PRIMARY KEY, -- rowid: grows with inserts, orders same-millisecond history
    id TEXT NOT NULL UNIQUE,
    ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    engineer_id TEXT NOT NULL REFERENCES engineers (id),
    tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 4),
    status TEXT NOT NULL CHECK (status IN ('active', 'completed', 'reassigned', 'cancelled')),
    assigned_by TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    match_score INTEGER NOT NULL DEFAULT -1,
    assigned_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX assignments_ticket ON assignments (ticket_id, assigned_at, seq);
CREATE UNIQUE INDEX assignments_one_active ON assignments (ticket_id) WHERE status = 'active';
CREATE INDEX assignments_engineer ON assignments (engineer_id, status);

-- Counters. Each trigger runs in the transaction of the change it counts.
CREATE TRIGGER equipment_count_insert AFTER INSERT ON equipment BEGIN
    UPDATE organizations SET equipment_count = equipment_count + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER equipment_count_delete AFTER DELETE ON equipment BEGIN
    UPDATE organizations SET equipment_count = equipment_count - 1 WHERE id = OLD.organization_id;
END;
CREATE TRIGGER equipment_count_move AFTER UPDATE OF organization_id ON equipment
WHEN OLD.organization_id IS NOT NEW.organization_id BEGIN
    UPDATE organizations SET equipment_count = equipment_count - 1 WHERE id = OLD.organization_id;
    UPDATE organizations SET equipment_count = equipment_count + 1 WHERE id = NEW.organization_id;
END;

CREATE TRIGGER engineers_count_insert AFTER INSERT ON engineers BEGIN
    UPDATE organizations SET engineers_count = engineers_count + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER engineers_count_delete AFTER DELETE ON engineers BEGIN
    UPDATE organizations SET engineers_count = engineers_count - 1 WHERE id = OLD.organization_id;
END;
CREATE TRIGGER engineers_count_move AFTER UPDATE OF organization_id ON engineers
WHEN OLD.organization_id IS NOT NEW.organization_id BEGIN
    UPDATE organizations SET engineers_count = engineers_count - 1 WHERE id = OLD.organization_id;
    UPDATE organizations SET engineers_count = engineers_count + 1 WHERE id = NEW.organization_id;
END;

-- Active tickets: new, assigned, in_progress, on_hold (domain::isOpen).
CREATE TRIGGER active_tickets_insert AFTER INSERT ON tickets
WHEN NEW.status IN ('new', 'assigned', 'in_progress', 'on_hold') BEGIN
    UPDATE organizations SET active_tickets_count = active_tickets_count + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER active_tickets_delete AFTER DELETE ON tickets
WHEN OLD.status IN ('new', 'assigned', 'in_progress', 'on_hold') BEGIN
    UPDATE organizations SET active_tickets_count = active_tickets_count - 1 WHERE id = OLD.organization_id;
END;
CREATE TRIGGER active_tickets_update AFTER UPDATE OF status, organization_id ON tickets
WHEN (OLD.status IN ('new', 'assigned', 'in_progress', 'on_hold')) IS NOT (NEW.status IN ('new', 'assigned', 'in_progress', 'on_hold'))
  OR OLD.organization_id IS NOT NEW.organization_id BEGIN
    UPDATE organizations SET active_tickets_count = active_tickets_count - 1
    WHERE id = OLD.organization_id AND OLD.status IN ('new', 'assigned', 'in_progress', 'on_hold');
    UPDATE organizations SET active_tickets_count = active_tickets_count + 1
    WHERE id = NEW.organization_id AND NEW.status IN ('new', 'assigned', 'in_progress', 'on_hold');
END;

-- Open assignments per engineer, and the ticket's current engineer and tier.
CREATE TRIGGER assignments_insert AFTER INSERT ON assignments
WHEN NEW.status = 'active' BEGIN
    UPDATE engineers SET open_assignments = open_assignments + 1 WHERE id = NEW.engineer_id;
    UPDATE tickets SET assigned_engineer_id = NEW.engineer_id, assigned_tier = NEW.tier
    WHERE id = NEW.ticket_id
      AND (assigned_engineer_id IS NOT NEW.engineer_id OR assigned_tier IS NOT NEW.tier);
END;
CREATE TRIGGER assignments_delete AFTER DELETE ON assignments
WHEN OLD.status = 'active' BEGIN
    UPDATE engineers SET open_assignments = open_assignments - 1 WHERE id = OLD.engineer_id;
    UPDATE tickets SET assigned_engineer_id = NULL, assigned_tier = NULL
    WHERE id = OLD.ticket_id AND assigned_engineer_id IS OLD.engineer_id;
END;
CREATE TRIGGER assignments_update AFTER UPDATE OF status, engineer_id, tier ON assignments BEGIN
    UPDATE engineers SET open_assignments = open_assignments - 1
    WHERE id = OLD.engineer_id AND OLD.status = 'active';
    UPDATE engineers SET open_assignments = open_assignments + 1
    WHERE id = NEW.engineer_id AND NEW.status = 'active';
    UPDATE tickets SET
        assigned_engineer_id = (SELECT engineer_id FROM assignments WHERE ticket_id = NEW.ticket_id AND status = 'active'),
        assigned_tier = (SELECT tier FROM assignments WHERE ticket_id = NEW.ticket_id AND status = 'active')
    WHERE id = NEW.ticket_id;
END;
