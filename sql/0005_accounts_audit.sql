-- Accounts and access (issue: the service), idempotency of API writes, and the
-- tamper-evident audit trail.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         text NOT NULL UNIQUE CHECK (login ~ '^[A-Za-z0-9._@-]{1,64}$'),
    role          text NOT NULL CHECK (role IN ('clerk', 'inspector', 'admin')),
    -- An inspector reads everything under this region.
    region_code   text REFERENCES regions (code),
    -- bcrypt
    password_hash text NOT NULL,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'inspector') = (region_code IS NOT NULL))
);

-- The units a clerk works for.
CREATE TABLE account_units (
    account_id  bigint NOT NULL REFERENCES accounts (id),
    credit_code text NOT NULL REFERENCES units (credit_code),
    PRIMARY KEY (account_id, credit_code)
);

-- Bearer tokens, stored as the SHA-256 of the token: a token has 256 random bits, so
-- a fast hash is enough, and a stolen table gives no usable token.
CREATE TABLE api_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

-- The first answer to a POST with an Idempotency-Key, replayed for the same key.
CREATE TABLE idempotency_keys (
    account_id   bigint NOT NULL REFERENCES accounts (id),
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash text NOT NULL,
    status       smallint NOT NULL,
    response     text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);

-- The audit trail. Every write appends an entry in its own transaction. Entries are
-- chained in the order they are sealed (audit_seal below): each sealed entry holds the
-- hash of the one before, so an entry changed or removed later breaks the chain.
-- Sealing after commit, rather than inside each write, keeps concurrent writers from
-- queueing on the chain's head.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor       text NOT NULL CHECK (actor <> ''),
    action      text NOT NULL CHECK (action <> ''),
    entity      text NOT NULL,
    entity_key  text NOT NULL,
    credit_code text,
    before      jsonb,
    after       jsonb,
    seq         bigint UNIQUE,
    prev_hash   text,
    hash        text,
    CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL))
);
CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE seq IS NULL;
CREATE INDEX audit_log_unit ON audit_log (credit_code, id) WHERE credit_code IS NOT NULL;

-- The text an entry's hash covers; the time as microseconds since 1970, so the text
-- does not depend on the session's time zone.
CREATE FUNCTION audit_entry_text(e audit_log) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN e.id::text || E'\x1f' || (extract(epoch FROM e.at) * 1000000)::bigint::text || E'\x1f' || e.actor
       || E'\x1f' || e.action || E'\x1f' || e.entity || E'\x1f' || e.entity_key || E'\x1f'
       || coalesce(e.credit_code, '\N') || E'\x1f' || coalesce(e.before::text, '\N') || E'\x1f'
       || coalesce(e.after::text, '\N');

CREATE FUNCTION audit_hash(prev_hash text, e audit_log) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN encode(digest(prev_hash || E'\x1e' || audit_entry_text(e), 'sha256'), 'hex');

-- What the trail remembers of a purchase: a digest of every column, written without
-- any dependence on the session's DateStyle or time zone.
CREATE FUNCTION purchase_digest(p purchases) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN encode(digest(p.id::text || E'\x1f' || p.credit_code || E'\x1f' || p.order_no || E'\x1f'
                     || (p.order_date - DATE '2000-01-01')::text || E'\x1f' || p.channel || E'\x1f'
                     || p.category || E'\x1f' || p.origin_code || E'\x1f' || p.amount::text || E'\x1f'
                     || p.status || E'\x1f' || coalesce(p.festival, '\N') || E'\x1f'
                     || coalesce(p.reversal_of, '\N') || E'\x1f' || (p.ledger_date - DATE '2000-01-01')::text
                     || E'\x1f' || (extract(epoch FROM p.booked_at) * 1000000)::bigint::text, 'sha256'), 'hex');

-- Seals the committed, unsealed entries in id order and returns how many. One sealer
-- at a time; a second returns 0 at once.
CREATE FUNCTION audit_seal() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash text;
    entry     audit_log;
    sealed    bigint := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(4227100002) THEN
        RETURN 0;
    END IF;
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    last_seq := coalesce(last_seq, 0);
    last_hash := coalesce(last_hash, repeat('0', 64));
    FOR entry IN SELECT * FROM audit_log WHERE seq IS NULL ORDER BY id LOOP
        last_seq := last_seq + 1;
        UPDATE audit_log SET seq = last_seq, prev_hash = last_hash, hash = audit_hash(last_hash, entry)
        WHERE id = entry.id;
        last_hash := audit_hash(last_hash, entry);
        sealed := sealed + 1;
    END LOOP;
    RETURN sealed;
END
$$;

-- The trail is append-only: the one change allowed is sealing an unsealed entry.
CREATE FUNCTION audit_log_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.entity, OLD.entity_key, OLD.credit_code,
            OLD.before::text, OLD.after::text)
           IS NOT DISTINCT FROM
           (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_key, NEW.credit_code,
            NEW.before::text, NEW.after::text) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% on audit_log refused: the trail is append-only', TG_OP USING ERRCODE = 'SA001';
END
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
