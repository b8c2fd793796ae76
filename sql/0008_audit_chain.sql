-- Each audit entry is written once. Sealing used to UPDATE every entry to give it its
-- place in the chain, so each entry was written twice (a second row version, new index
-- entries, and later vacuum work): half of audit_log's growth under load. The chain
-- now lives in audit_chain, a small append-only table keyed by entry id, and the entries
-- waiting to be sealed are listed in audit_pending (filled by a statement trigger, so
-- every writer, whatever its path, is covered). audit_log itself is never updated.

CREATE TABLE audit_chain (
    seq       bigint PRIMARY KEY CHECK (seq > 0),
    entry_id  bigint NOT NULL UNIQUE,
    prev_hash text NOT NULL,
    hash      text NOT NULL
);

CREATE TABLE audit_pending (
    entry_id bigint PRIMARY KEY
);

INSERT INTO audit_chain (seq, entry_id, prev_hash, hash)
SELECT seq, id, prev_hash, hash FROM audit_log WHERE seq IS NOT NULL;
INSERT INTO audit_pending (entry_id)
SELECT id FROM audit_log WHERE seq IS NULL;

CREATE FUNCTION audit_log_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_pending (entry_id) SELECT id FROM inserted;
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_log_pending
    AFTER INSERT ON audit_log
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_enqueue();

-- No change at all to an entry now, sealing included.
CREATE OR REPLACE FUNCTION audit_log_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on audit_log refused: the trail is append-only', TG_OP USING ERRCODE = 'SA001';
END
$$;

CREATE FUNCTION audit_chain_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on audit_chain refused: the chain is append-only', TG_OP USING ERRCODE = 'SA001';
END
$$;

CREATE TRIGGER audit_chain_append_only
    BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_chain_guard();
CREATE TRIGGER audit_chain_no_truncate
    BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_guard();

DROP INDEX audit_log_unsealed;
ALTER TABLE audit_log DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash;

-- The same chain as before (audit_hash over the same entry text), read from the
-- pending list a chunk at a time and appended to audit_chain.
CREATE OR REPLACE FUNCTION audit_seal() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash text;
    ids       bigint[];
    texts     text[];
    prevs     text[];
    hashes    text[];
    n         int;
    sealed    bigint := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(4227100002) THEN
        RETURN 0;
    END IF;
    SELECT seq, hash INTO last_seq, last_hash FROM audit_chain ORDER BY seq DESC LIMIT 1;
    last_seq := coalesce(last_seq, 0);
    last_hash := coalesce(last_hash, repeat('0', 64));
    LOOP
        SELECT array_agg(c.id ORDER BY c.id), array_agg(audit_entry_text(c.a) ORDER BY c.id)
        INTO ids, texts
        FROM (SELECT a.id, a FROM audit_pending p JOIN audit_log a ON a.id = p.entry_id
              ORDER BY p.entry_id LIMIT 10000) c;
        n := coalesce(cardinality(ids), 0);
        EXIT WHEN n = 0;
        prevs := array_fill(NULL::text, ARRAY[n]);
        hashes := array_fill(NULL::text, ARRAY[n]);
        FOR i IN 1..n LOOP
            prevs[i] := last_hash;
            last_hash := encode(digest(last_hash || E'\x1e' || texts[i], 'sha256'), 'hex');
            hashes[i] := last_hash;
        END LOOP;
        INSERT INTO audit_chain (seq, entry_id, prev_hash, hash)
        SELECT last_seq + u.n, u.id, u.prev, u.hash
        FROM unnest(ids, prevs, hashes) WITH ORDINALITY AS u(id, prev, hash, n);
        DELETE FROM audit_pending WHERE entry_id = ANY (ids);
        last_seq := last_seq + n;
        sealed := sealed + n;
    END LOOP;
    RETURN sealed;
END
$$;
