-- Status changes of stored orders (issue 11), appended, never edits: an unpaid order
-- paid (pending → completed: it then counts on its order date), an unpaid order
-- cancelled (pending → cancelled), a completed order refunded whole (completed →
-- refunded). A partial refund stays a reversal row. An order's current status is the
-- last change's, else the status it was stored with (`PurchaseRules.currentStatus`).
CREATE TABLE purchase_status_changes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code text NOT NULL,
    order_no    text NOT NULL,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    -- The day it changed (paid, cancelled, refunded), as the platform or the clerk says.
    changed_on  date NOT NULL,
    booked_at   timestamptz NOT NULL DEFAULT now(),
    booked_by   text,
    FOREIGN KEY (credit_code, order_no) REFERENCES purchases (credit_code, order_no),
    CONSTRAINT purchase_status_changes_known CHECK ((from_status, to_status) IN
        (('pending', 'completed'), ('pending', 'cancelled'), ('completed', 'refunded'))),
    -- The changes of an order only go forward: each status is left once.
    CONSTRAINT purchase_status_changes_once UNIQUE (credit_code, order_no, from_status)
);

CREATE TRIGGER purchase_status_changes_append_only
    BEFORE UPDATE OR DELETE ON purchase_status_changes
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER purchase_status_changes_no_truncate
    BEFORE TRUNCATE ON purchase_status_changes
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- What the trail records of a change, so `audit verify` can name one changed later.
CREATE FUNCTION purchase_status_digest(c purchase_status_changes) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\x1f', c.id, c.credit_code, c.order_no, c.from_status, c.to_status,
                                              c.changed_on - DATE '2000-01-01',
                                              (extract(epoch FROM c.booked_at) * 1000000)::bigint,
                                              coalesce(c.booked_by, '\N')), 'UTF8')), 'hex')
$$;

-- Every change is in the trail, written by the table itself like a purchase: one entry
-- per unit and statement, by id and digest.
CREATE FUNCTION audit_purchase_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO audit_log (actor, action, entity, entity_key, credit_code, after)
    SELECT coalesce(min(s.booked_by), 'db:' || session_user), 'purchase.status', 'purchase_status',
           CASE WHEN count(*) = 1 THEN min(s.order_no) || ' ' || min(s.from_status) || ' → ' || min(s.to_status)
                ELSE count(*) || ' changes' END,
           s.credit_code,
           jsonb_build_object('ids', jsonb_agg(s.id ORDER BY s.id),
                              'digests', jsonb_agg(purchase_status_digest(ROW(s.*)::purchase_status_changes) ORDER BY s.id),
                              'changes', jsonb_agg(jsonb_build_object('orderNo', s.order_no, 'from', s.from_status,
                                                                      'to', s.to_status, 'changedOn', s.changed_on)
                                                   ORDER BY s.id))
    FROM stored s
    GROUP BY s.credit_code;
    RETURN NULL;
END
$$;

CREATE TRIGGER purchase_status_changes_audited
    AFTER INSERT ON purchase_status_changes
    REFERENCING NEW TABLE AS stored
    FOR EACH STATEMENT EXECUTE FUNCTION audit_purchase_status();

-- Entries of status changes are the table's own to write, like a purchase's.
CREATE OR REPLACE FUNCTION audit_append(actor text, action text, entity text, entity_key text, credit_code text,
                                        before jsonb, after jsonb) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    id bigint;
BEGIN
    IF entity IN ('purchase', 'purchase_status') THEN
        RAISE EXCEPTION 'audit entries of purchases and their status changes are written by the ledger itself, not by audit_append'
            USING ERRCODE = 'SA001';
    END IF;
    INSERT INTO audit_log AS a (actor, action, entity, entity_key, credit_code, before, after)
    VALUES (actor, action, entity, entity_key, credit_code, before, after)
    RETURNING a.id INTO id;
    RETURN id;
END
$$;
REVOKE EXECUTE ON FUNCTION audit_append(text, text, text, text, text, jsonb, jsonb) FROM PUBLIC;

CREATE OR REPLACE FUNCTION setaside_grant_application(app name) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', app);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', app);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', app);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', app);
    EXECUTE format('GRANT INSERT ON purchases, findings, purchase_status_changes TO %I', app);
    EXECUTE format('GRANT INSERT ON regions, units, declarations, declaration_returns, assignments, agreements TO %I', app);
    EXECUTE format('GRANT UPDATE (parent_credit_code) ON units TO %I', app);
    EXECUTE format('GRANT INSERT ON accounts, account_units, api_tokens, idempotency_keys TO %I', app);
    EXECUTE format('GRANT UPDATE (disabled_at) ON accounts TO %I', app);
    EXECUTE format('GRANT UPDATE (revoked_at) ON api_tokens TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, text, jsonb, jsonb), audit_seal() TO %I', app);
END
$$;
REVOKE EXECUTE ON FUNCTION setaside_grant_application(name) FROM PUBLIC;
