-- Regions (行政区划) and budget units (预算单位).
-- Codes are text, never numbers: leading digits matter and 6/9/12-digit codes coexist.

CREATE TABLE regions (
    code             text PRIMARY KEY
                     CHECK (code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
    name             text NOT NULL CHECK (name <> ''),
    level            text NOT NULL
                     CHECK (level IN ('country', 'province', 'city', 'county', 'township', 'village')),
    parent_code      text REFERENCES regions (code),
    poverty_relieved boolean NOT NULL DEFAULT false,
    -- Only the country root has no parent, so every tree ends at 100000.
    CHECK ((code = '100000') = (parent_code IS NULL))
);
CREATE INDEX regions_parent_code ON regions (parent_code);

INSERT INTO regions (code, name, level, parent_code, poverty_relieved)
VALUES ('100000', '中华人民共和国', 'country', NULL, false);

CREATE TABLE units (
    credit_code           text PRIMARY KEY
                          CHECK (credit_code ~ '^[0-9A-HJ-NP-RTUWXY]{18}$'),
    name                  text NOT NULL CHECK (name <> ''),
    region_code           text NOT NULL REFERENCES regions (code),
    level                 text NOT NULL
                          CHECK (level IN ('province', 'city', 'district', 'county', 'township')),
    has_canteen           boolean NOT NULL,
    five_entries          boolean NOT NULL,
    assisting             boolean NOT NULL,
    -- GB 32100-2015 check character; some early codes fail it and are kept with a warning.
    check_character_valid boolean NOT NULL
);
CREATE INDEX units_region_code ON units (region_code);

-- Fen as yuan text with two decimals (123456 → '1234.56', -5 → '-0.05'), for messages.
CREATE FUNCTION yuan_text(fen bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN fen < 0 THEN '-' ELSE '' END
       || (abs(fen) / 100)::text || '.' || lpad((abs(fen) % 100)::text, 2, '0');
