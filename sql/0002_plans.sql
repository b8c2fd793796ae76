-- Yearly declarations, assisting assignments (帮扶) and directed agreements (定向采购).
-- Money is integer fen.

CREATE TABLE declarations (
    credit_code          text NOT NULL REFERENCES units (credit_code),
    year                 smallint NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    canteen_food_total   bigint NOT NULL CHECK (canteen_food_total >= 0),
    reserved_amount      bigint NOT NULL CHECK (reserved_amount >= 0),
    union_welfare_budget bigint NOT NULL CHECK (union_welfare_budget >= 0),
    PRIMARY KEY (credit_code, year)
);

CREATE TABLE assignments (
    credit_code  text NOT NULL REFERENCES units (credit_code),
    village_code text NOT NULL REFERENCES regions (code),
    year_from    smallint NOT NULL CHECK (year_from BETWEEN 2000 AND 2999),
    year_to      smallint NOT NULL CHECK (year_to BETWEEN 2000 AND 2999),
    CHECK (year_from <= year_to),
    PRIMARY KEY (credit_code, village_code, year_from)
);
CREATE INDEX assignments_village_code ON assignments (village_code);

CREATE TABLE agreements (
    credit_code  text NOT NULL REFERENCES units (credit_code),
    village_code text NOT NULL REFERENCES regions (code),
    valid_from   date NOT NULL,
    valid_to     date NOT NULL,
    CHECK (valid_from <= valid_to),
    PRIMARY KEY (credit_code, village_code, valid_from)
);
CREATE INDEX agreements_village_code ON agreements (village_code);
