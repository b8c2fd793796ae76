-- What the 832 platform's declaration form asks beyond the three figures (issue 11):
-- 有食堂 / 无食堂 that year (NULL: the unit's own flag), whether the union has purchase
-- needs (NULL: it has), the declared ratio, and an approved lower ratio (a waiver) with
-- its document, approving body and date. Ratios are basis points (1000 = 10.00%).
ALTER TABLE declarations
    ADD COLUMN has_canteen boolean,
    ADD COLUMN union_purchase_need boolean,
    ADD COLUMN declared_ratio integer CONSTRAINT declarations_declared_ratio_range CHECK (declared_ratio BETWEEN 0 AND 10000),
    ADD COLUMN approved_ratio integer CONSTRAINT declarations_approved_ratio_range CHECK (approved_ratio BETWEEN 0 AND 10000),
    ADD COLUMN approval_document text
        CONSTRAINT declarations_approval_document_length CHECK (char_length(approval_document) BETWEEN 1 AND 200),
    ADD COLUMN approved_by text CONSTRAINT declarations_approved_by_length CHECK (char_length(approved_by) BETWEEN 1 AND 200),
    ADD COLUMN approved_on date,
    -- A waiver is shown with its document: one without the other is not a waiver.
    ADD CONSTRAINT declarations_waiver_has_document CHECK ((approved_ratio IS NULL) = (approval_document IS NULL)),
    ADD CONSTRAINT declarations_approval_has_ratio CHECK (approved_ratio IS NOT NULL OR (approved_by IS NULL AND approved_on IS NULL));
