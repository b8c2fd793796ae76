-- Unpaid orders (待付款 / 未支付, issue 11): stored and shown, never counted (the 2021
-- notice: unpaid orders do not count). Only `completed` rows count, as before, so the
-- report and the rules need no change; the ledger only has to accept the status.
-- NOT VALID: every stored row already satisfies the narrower check it replaces.
ALTER TABLE purchases DROP CONSTRAINT purchases_status_check;
ALTER TABLE purchases ADD CONSTRAINT purchases_status_check
    CHECK (status IN ('completed', 'cancelled', 'refunded', 'pending')) NOT VALID;
