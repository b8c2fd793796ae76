-- Declarations as versions, and their review (issue 11). A unit's declaration of a year
-- is never edited: declaring other content stores a new version; an inspector or admin
-- may return (退回) a version with a reason, and the unit declares again. The version
-- that counts is the latest one not returned (`DeclarationHistory` in the core).
--   * version: 1, 2, … per unit-year; the rows stored before become version 1;
--   * stored_at, stored_by: when and by whom a version was stored (NULL for the rows
--     stored before versions were kept: the trail named their actor then).
ALTER TABLE declarations
    ADD COLUMN version integer NOT NULL DEFAULT 1 CONSTRAINT declarations_version_positive CHECK (version >= 1),
    ADD COLUMN stored_at timestamptz,
    ADD COLUMN stored_by text;
ALTER TABLE declarations ALTER COLUMN version DROP DEFAULT,
                         ALTER COLUMN stored_at SET DEFAULT now();
ALTER TABLE declarations DROP CONSTRAINT declarations_pkey,
                         ADD CONSTRAINT declarations_pkey PRIMARY KEY (credit_code, year, version);

-- Versions are kept as they were stored, like the ledger's rows.
CREATE TRIGGER declarations_append_only
    BEFORE UPDATE OR DELETE ON declarations
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER declarations_no_truncate
    BEFORE TRUNCATE ON declarations
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- A version sent back, once, with the reason the unit reads.
CREATE TABLE declaration_returns (
    credit_code text NOT NULL,
    year        smallint NOT NULL,
    version     integer NOT NULL,
    reason      text NOT NULL CONSTRAINT declaration_returns_reason_length CHECK (char_length(reason) BETWEEN 1 AND 2000),
    returned_by text NOT NULL,
    returned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (credit_code, year, version),
    FOREIGN KEY (credit_code, year, version) REFERENCES declarations (credit_code, year, version)
);
CREATE TRIGGER declaration_returns_append_only
    BEFORE UPDATE OR DELETE ON declaration_returns
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER declaration_returns_no_truncate
    BEFORE TRUNCATE ON declaration_returns
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- The application role no longer updates declarations; it may return them.
CREATE OR REPLACE FUNCTION setaside_grant_application(app name) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', app);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', app);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', app);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', app);
    EXECUTE format('GRANT INSERT ON purchases, findings TO %I', app);
    EXECUTE format('GRANT INSERT ON regions, units, declarations, declaration_returns, assignments, agreements TO %I', app);
    EXECUTE format('GRANT INSERT ON accounts, account_units, api_tokens, idempotency_keys TO %I', app);
    EXECUTE format('GRANT UPDATE (disabled_at) ON accounts TO %I', app);
    EXECUTE format('GRANT UPDATE (revoked_at) ON api_tokens TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, text, jsonb, jsonb), audit_seal() TO %I', app);
END
$$;
REVOKE EXECUTE ON FUNCTION setaside_grant_application(name) FROM PUBLIC;
