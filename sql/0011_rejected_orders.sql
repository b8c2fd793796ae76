-- Whether a purchase counts is decided by the latest accept or reject finding on its
-- order (a note decides nothing; a reversal follows its original). The rule is this
-- view, once: the purchase lists and the compliance report both read it.

CREATE VIEW rejected_orders AS
SELECT credit_code, order_no
FROM (
    SELECT DISTINCT ON (credit_code, order_no) credit_code, order_no, verdict
    FROM findings
    WHERE verdict <> 'note'
    ORDER BY credit_code, order_no, id DESC
) latest
WHERE verdict = 'reject';

COMMENT ON VIEW rejected_orders IS
    'orders whose latest accept/reject finding is a rejection: they and their reversals do not count';
