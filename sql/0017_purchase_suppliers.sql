-- Who sold it and what (issue 11): optional supplier_name, supplier_credit_code (a
-- unified social credit code, checked like a unit's by the application: a wrong check
-- character is accepted with a warning) and product (the goods' name) on every purchase.
-- A repeat of an order with another supplier or product is other content.
ALTER TABLE purchases
    ADD COLUMN supplier_name text
        CONSTRAINT purchases_supplier_name_length CHECK (char_length(supplier_name) BETWEEN 1 AND 200),
    ADD COLUMN supplier_credit_code text
        CONSTRAINT purchases_supplier_credit_code_form CHECK (supplier_credit_code ~ '^[0-9A-Z]{18}$'),
    ADD COLUMN product text
        CONSTRAINT purchases_product_length CHECK (char_length(product) BETWEEN 1 AND 200);

-- The digest covers the new columns when a row has any of them; a row without them keeps
-- the digest it had, so the trail written before still verifies.
CREATE OR REPLACE FUNCTION purchase_digest(p purchases) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\x1f', p.id, p.credit_code, p.order_no,
                                              p.order_date - DATE '2000-01-01', p.channel, p.category,
                                              p.origin_code, p.amount, p.status, coalesce(p.festival, '\N'),
                                              coalesce(p.reversal_of, '\N'), p.ledger_date - DATE '2000-01-01',
                                              (extract(epoch FROM p.booked_at) * 1000000)::bigint)
                                    || CASE WHEN p.supplier_name IS NULL AND p.supplier_credit_code IS NULL
                                                 AND p.product IS NULL THEN ''
                                            ELSE E'\x1f' || concat_ws(E'\x1f', coalesce(p.supplier_name, '\N'),
                                                                      coalesce(p.supplier_credit_code, '\N'),
                                                                      coalesce(p.product, '\N')) END,
                                    'UTF8')), 'hex')
$$;
