-- Sealing in one statement. The first audit_seal() updated its entries one at a time
-- and computed every hash twice: about 0.2 ms an entry, six times what writing the
-- entry costs, so under load the sealer took most of a core in bursts. This one reads
-- the unsealed entries once, chains their hashes in memory (the same hashes as
-- audit_hash), and seals them with one UPDATE per 10 000 entries: about 0.035 ms an entry.
CREATE OR REPLACE FUNCTION audit_seal() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash text;
    last_id   bigint := 0;
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
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    last_seq := coalesce(last_seq, 0);
    last_hash := coalesce(last_hash, repeat('0', 64));
    LOOP
        -- A chunk at a time, so a long backlog does not have to fit in memory at once.
        SELECT array_agg(c.id ORDER BY c.id), array_agg(audit_entry_text(c.a) ORDER BY c.id)
        INTO ids, texts
        FROM (SELECT a.id, a FROM audit_log a WHERE a.seq IS NULL AND a.id > last_id ORDER BY a.id LIMIT 10000) c;
        n := coalesce(cardinality(ids), 0);
        EXIT WHEN n = 0;
        prevs := array_fill(NULL::text, ARRAY[n]);
        hashes := array_fill(NULL::text, ARRAY[n]);
        FOR i IN 1..n LOOP
            prevs[i] := last_hash;
            last_hash := encode(digest(last_hash || E'\x1e' || texts[i], 'sha256'), 'hex');
            hashes[i] := last_hash;
        END LOOP;
        UPDATE audit_log a SET seq = last_seq + u.n, prev_hash = u.prev, hash = u.hash
        FROM unnest(ids, prevs, hashes) WITH ORDINALITY AS u(id, prev, hash, n)
        WHERE a.id = u.id;
        last_seq := last_seq + n;
        last_id := ids[n];
        sealed := sealed + n;
    END LOOP;
    RETURN sealed;
END
$$;
