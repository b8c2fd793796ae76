-- Every amount is at most 10 000 000 000.00 yuan (10^12 fen) either way, the bound the
-- application already puts on what it parses (Money.largestAccepted). Far beyond any
-- single order or unit budget, it keeps every sum a report makes inside bigint, so a
-- report cannot fail on an overflow that one absurd row brought in. The constraints
-- hold for new rows only (NOT VALID): the ledger is append-only, so a row stored beyond
-- the bound before could never be removed to let this migration through; reports guard
-- against such rows when they add them up.
ALTER TABLE purchases
    ADD CONSTRAINT purchases_amount_bound CHECK (amount BETWEEN -1000000000000 AND 1000000000000) NOT VALID;

ALTER TABLE declarations
    ADD CONSTRAINT declarations_amount_bound CHECK (canteen_food_total <= 1000000000000
                                                    AND reserved_amount <= 1000000000000
                                                    AND union_welfare_budget <= 1000000000000) NOT VALID;
