-- The ledger (台账): purchases and inspectors' findings. Both are append-only:
-- the database refuses UPDATE, DELETE and TRUNCATE; a purchase is corrected by a
-- reversal row (红字冲销) that points at the original, and a finding is withdrawn
-- only by a later finding.

CREATE FUNCTION refuse_ledger_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the ledger is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'SA001',
              HINT = 'correct a purchase with a reversal entry; withdraw a finding with a later finding';
END
$$;

CREATE SEQUENCE purchases_id_seq AS bigint;

-- Hash-partitioned by unit: the key (credit_code, order_no) stays a real primary key
-- (it contains the partition column), one unit's ledger lives in one partition, and
-- the same column is the distribution key of the national-scale plan (docs/design.md).
CREATE TABLE purchases (
    id          bigint NOT NULL DEFAULT nextval('purchases_id_seq'),
    credit_code text NOT NULL REFERENCES units (credit_code),
    order_no    text NOT NULL CHECK (order_no <> '' AND length(order_no) <= 64),
    order_date  date NOT NULL,
    channel     text NOT NULL
                CHECK (channel IN ('platform832', 'localPlatform', 'directed', 'other')),
    category    text NOT NULL
                CHECK (category IN ('canteenFood', 'unionWelfare', 'unionFestival', 'packing', 'other')),
    origin_code text NOT NULL REFERENCES regions (code),
    amount      bigint NOT NULL,
    status      text NOT NULL CHECK (status IN ('completed', 'cancelled', 'refunded')),
    festival    text,
    reversal_of text,
    -- The date the amount counts on: the order date, or the original's for a reversal,
    -- so a reversal booked in January nets against last year's order.
    ledger_date date NOT NULL,
    booked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (credit_code, order_no),
    FOREIGN KEY (credit_code, reversal_of) REFERENCES purchases (credit_code, order_no),
    CHECK (reversal_of IS DISTINCT FROM order_no),
    CHECK (CASE WHEN reversal_of IS NULL THEN amount > 0
                ELSE amount < 0 AND status = 'completed' END),
    CHECK ((category = 'unionFestival') = (festival IS NOT NULL)),
    CHECK (reversal_of IS NOT NULL OR ledger_date = order_date)
) PARTITION BY HASH (credit_code);

CREATE TABLE purchases_p0 PARTITION OF purchases FOR VALUES WITH (MODULUS 8, REMAINDER 0);
CREATE TABLE purchases_p1 PARTITION OF purchases FOR VALUES WITH (MODULUS 8, REMAINDER 1);
CREATE TABLE purchases_p2 PARTITION OF purchases FOR VALUES WITH (MODULUS 8, REMAINDER 2);
CREATE TABLE purchases_p3 PARTITION OF purchases FOR VALUES WITH (MODULUS 8, REMAINDER 3);
CREATE TABLE purchases_p4 PARTITION OF purchases FOR VALUES WITH (MODULUS 8, REMAINDER 4);
CREATE TABLE purchases_p5 PARTITION OF purchases FOR VALUES WITH (MODULUS 8, REMAINDER 5);
CREATE TABLE purchases_p6 PARTITION OF purchases FOR VALUES WITH (MODULUS 8, REMAINDER 6);
CREATE TABLE purchases_p7 PARTITION OF purchases FOR VALUES WITH (MODULUS 8, REMAINDER 7);

-- A region's report reads one year of every unit: by ledger date.
CREATE INDEX purchases_ledger_date ON purchases (ledger_date);
-- Reversals of one original, to check what is left to reverse.
CREATE INDEX purchases_reversal_of ON purchases (credit_code, reversal_of)
    WHERE reversal_of IS NOT NULL;

CREATE TRIGGER purchases_append_only
    BEFORE UPDATE OR DELETE ON purchases
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER purchases_no_truncate
    BEFORE TRUNCATE ON purchases
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

CREATE TABLE findings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code text NOT NULL,
    order_no    text NOT NULL,
    verdict     text NOT NULL CHECK (verdict IN ('accept', 'reject', 'note')),
    reason      text NOT NULL DEFAULT '',
    inspector   text NOT NULL CHECK (inspector <> ''),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (credit_code, order_no) REFERENCES purchases (credit_code, order_no),
    CHECK (verdict <> 'reject' OR reason <> '')
);
CREATE INDEX findings_purchase ON findings (credit_code, order_no, id);

CREATE TRIGGER findings_append_only
    BEFORE UPDATE OR DELETE ON findings
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER findings_no_truncate
    BEFORE TRUNCATE ON findings
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
