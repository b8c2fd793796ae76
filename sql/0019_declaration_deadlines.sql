-- When a unit declared, and by when it had to (issue 11). A declaration stored after
-- its pack-year's deadline is late; one without a day (files from before) is not.
ALTER TABLE declarations ADD COLUMN declared_on date;

-- The yearly notices' deadlines for declaring the reserved share on the 832 platform,
-- as pack data.
CREATE TABLE policy_deadlines (
    pack_id  text NOT NULL REFERENCES policy_packs (id),
    year     smallint NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    deadline date NOT NULL,
    PRIMARY KEY (pack_id, year)
);

INSERT INTO policy_deadlines (pack_id, year, deadline) VALUES
    ('national-baseline', 2024, DATE '2024-02-20');
