-- Every amount is at most 10 000 000 000.00 yuan (10^12 fen) either way, the bound the
-- application already puts on what it parses (Money.largestAccepted). Far beyond any
-- single order or unit budget, it keeps every sum a report makes inside bigint, so a
-- report cannot fail on an overflow that one absurd row brought in. Existing rows are
-- checked as the constraints are added; a row beyond the bound stops this migration.
ALTER TABLE purchases
    ADD CONSTRAINT purchases_amount_bound CHECK (amount BETWEEN -1000000000000 AND 1000000000000);

ALTER TABLE declarations
    ADD CONSTRAINT declarations_amount_bound CHECK (canteen_food_total <= 1000000000000
                                                    AND reserved_amount <= 1000000000000
                                                    AND union_welfare_budget <= 1000000000000);
