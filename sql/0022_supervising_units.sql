-- Units under their supervising budget unit (主管预算单位, issue 11). A unit may name
-- the unit it reports to; reports roll up by supervising unit as well as by region, and
-- an inspector may be bound to a supervising unit (it then reads that unit and every
-- unit below it). A cycle is refused by the import, which names its units.
ALTER TABLE units
    ADD COLUMN parent_credit_code text REFERENCES units (credit_code),
    ADD CONSTRAINT units_parent_is_another CHECK (parent_credit_code <> credit_code);
CREATE INDEX units_parent_credit_code ON units (parent_credit_code) WHERE parent_credit_code IS NOT NULL;

-- An inspector is bound to a region, a supervising unit, or both (it reads the units of
-- either); the other roles to neither.
ALTER TABLE accounts ADD COLUMN supervising_code text REFERENCES units (credit_code);
DO $$
DECLARE
    name text;
BEGIN
    SELECT conname INTO name FROM pg_constraint
    WHERE conrelid = 'accounts'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%region_code IS NOT NULL%';
    IF name IS NOT NULL THEN
        EXECUTE format('ALTER TABLE accounts DROP CONSTRAINT %I', name);
    END IF;
END
$$;
ALTER TABLE accounts ADD CONSTRAINT accounts_inspector_binding
    CHECK ((role = 'inspector') = (region_code IS NOT NULL OR supervising_code IS NOT NULL));

-- A unit stored without a supervising unit may be given one by a later units file (the
-- only change a re-import makes); the application role may set that column alone.
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
    EXECUTE format('GRANT UPDATE (parent_credit_code) ON units TO %I', app);
    EXECUTE format('GRANT INSERT ON accounts, account_units, api_tokens, idempotency_keys TO %I', app);
    EXECUTE format('GRANT UPDATE (disabled_at) ON accounts TO %I', app);
    EXECUTE format('GRANT UPDATE (revoked_at) ON api_tokens TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, text, jsonb, jsonb), audit_seal() TO %I', app);
END
$$;
REVOKE EXECUTE ON FUNCTION setaside_grant_application(name) FROM PUBLIC;
