-- The application is not the owner (issue 10). The schema belongs to an owner role
-- (`setaside_owner`); the server and the commands act as an application role
-- (`setaside_app`) that owns nothing, so it can neither switch the ledger's triggers
-- off nor drop, truncate or rewrite the ledger and the trail. This file makes the trail
-- something the application role cannot forge either:
--   * it may not write audit_log, audit_chain or audit_pending at all;
--   * the entries of purchases are written by a trigger on the ledger, with digests the
--     database computes from the rows stored, so every purchase is recorded and no
--     entry can claim a row that differs from what was stored;
--   * other entries (accounts, declarations, findings, imports of the registry) go
--     through audit_append(), which runs as the owner and refuses to write a purchase
--     entry;
--   * sealing runs as the owner too.
-- The grants themselves are setaside_grant_application() below; `setaside migrate` calls
-- it after migrating. Under psql, as the owner or a superuser:
--   SELECT setaside_grant_application('setaside_app');

-- Who booked a purchase (`account:LOGIN`, `cli:USER`): the trigger names them in the
-- purchase's entry. Rows stored before have none; the trail named their actor then.
ALTER TABLE purchases ADD COLUMN booked_by text;

-- A purchase's entry: one per purchase, or one per unit when the writer names a bulk
-- action (an import sets `setaside.action` for its statement). The actor is the row's
-- booked_by, else `db:` and the database role that inserted it.
CREATE FUNCTION audit_purchases() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    bulk text := nullif(current_setting('setaside.action', true), '');
BEGIN
    INSERT INTO audit_log (actor, action, entity, entity_key, credit_code, after)
    SELECT g.actor, g.action, 'purchase',
           CASE WHEN count(*) = 1 THEN min(g.id)::text ELSE count(*) || ' stored' END,
           g.credit_code,
           jsonb_build_object('ids', jsonb_agg(g.id ORDER BY g.id),
                              'digests', jsonb_agg(g.digest ORDER BY g.id))
           || CASE WHEN count(*) = 1 THEN jsonb_build_object('purchase', jsonb_agg(g.row) -> 0)
                   ELSE '{}'::jsonb END
    FROM (
        SELECT s.id, s.credit_code,
               coalesce(s.booked_by, 'db:' || session_user) AS actor,
               coalesce(bulk, CASE WHEN s.reversal_of IS NULL THEN 'purchase.create' ELSE 'purchase.reverse' END) AS action,
               purchase_digest(ROW(s.*)::purchases) AS digest,
               CASE WHEN bulk IS NULL THEN to_jsonb(s) END AS row,
               CASE WHEN bulk IS NULL THEN s.id END AS single
        FROM stored s
    ) g
    GROUP BY g.credit_code, g.actor, g.action, g.single;
    RETURN NULL;
END
$$;

CREATE TRIGGER purchases_audited
    AFTER INSERT ON purchases
    REFERENCING NEW TABLE AS stored
    FOR EACH STATEMENT EXECUTE FUNCTION audit_purchases();

-- Every other entry. A purchase entry is the ledger's own to write.
CREATE FUNCTION audit_append(actor text, action text, entity text, entity_key text, credit_code text,
                             before jsonb, after jsonb) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    id bigint;
BEGIN
    IF entity = 'purchase' THEN
        RAISE EXCEPTION 'audit entries of purchases are written by the ledger itself, not by audit_append'
            USING ERRCODE = 'SA001';
    END IF;
    INSERT INTO audit_log AS a (actor, action, entity, entity_key, credit_code, before, after)
    VALUES (actor, action, entity, entity_key, credit_code, before, after)
    RETURNING a.id INTO id;
    RETURN id;
END
$$;
REVOKE EXECUTE ON FUNCTION audit_append(text, text, text, text, text, jsonb, jsonb) FROM PUBLIC;

ALTER FUNCTION audit_seal() SECURITY DEFINER SET search_path = public, pg_temp;
REVOKE EXECUTE ON FUNCTION audit_seal() FROM PUBLIC;

-- What the application role may do: read everything; write the ledger (purchases and
-- findings) by INSERT only; import the registry and plans; replace a declaration;
-- manage accounts and tokens; append to the trail through audit_append and seal it.
-- No TRUNCATE, no DELETE, no UPDATE of the ledger or the trail, no direct write to the
-- trail. Idempotent: it first takes back whatever the role held.
CREATE FUNCTION setaside_grant_application(app name) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', app);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', app);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', app);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', app);
    EXECUTE format('GRANT INSERT ON purchases, findings TO %I', app);
    EXECUTE format('GRANT INSERT ON regions, units, declarations, assignments, agreements TO %I', app);
    EXECUTE format('GRANT UPDATE ON declarations TO %I', app);
    EXECUTE format('GRANT INSERT ON accounts, account_units, api_tokens, idempotency_keys TO %I', app);
    EXECUTE format('GRANT UPDATE (disabled_at) ON accounts TO %I', app);
    EXECUTE format('GRANT UPDATE (revoked_at) ON api_tokens TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, text, jsonb, jsonb), audit_seal() TO %I', app);
END
$$;
REVOKE EXECUTE ON FUNCTION setaside_grant_application(name) FROM PUBLIC;
