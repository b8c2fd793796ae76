-- Every change to accounts, their units or their tokens sends a notice on the channel
-- `setaside_accounts` when it commits. A running `setaside serve` listens and forgets
-- the accounts it cached, so a disabled account or a revoked token stops working at
-- once, whoever made the change (the CLI, the API or psql).
CREATE FUNCTION notify_account_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('setaside_accounts', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER accounts_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_account_change();
CREATE TRIGGER account_units_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON account_units
    FOR EACH STATEMENT EXECUTE FUNCTION notify_account_change();
CREATE TRIGGER api_tokens_notify AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION notify_account_change();
