-- How a unit's canteen is run (issue 11): own, outsourced (the unit still declares and
-- owes the share) or shared (共用食堂) with declared_by, the unit that declares for the
-- group. NULL: not said (its own). Which unit may declare for which is checked by the
-- application (`SharedCanteen`): a unit cannot be declared for by a unit that itself
-- declares as shared.
ALTER TABLE declarations
    ADD COLUMN canteen_mode text CONSTRAINT declarations_canteen_mode_known CHECK (canteen_mode IN ('own', 'outsourced', 'shared')),
    ADD COLUMN declared_by text REFERENCES units (credit_code),
    ADD CONSTRAINT declarations_shared_has_declarer CHECK ((canteen_mode IS NOT DISTINCT FROM 'shared') = (declared_by IS NOT NULL)),
    ADD CONSTRAINT declarations_declarer_is_another CHECK (declared_by <> credit_code);

-- The members of a declaring unit's shared canteen, found by the report and the checks.
CREATE INDEX declarations_declared_by ON declarations (declared_by, year) WHERE declared_by IS NOT NULL;
