-- Every change to what a compliance report is made of sends a notice on the channel
-- `setaside_reports` when it commits. A running `setaside serve` keeps the reports it
-- computed (the pages and the API ask for the same region's report again and again)
-- and forgets them all on a notice, so a purchase, a declaration, a finding or a new
-- pack from any server, the CLI or psql is in the next report.
--
-- One notice per statement, and PostgreSQL folds identical notices of one transaction
-- into one: a bulk import sends one. The audit trail, accounts, tokens, idempotency keys
-- and snapshots are not a report's input and send none.
--
-- The purchases table has no such trigger: a transaction that notifies takes a lock at
-- commit that every other notifying commit waits for, which halved single-row INSERTs
-- into purchases (pgbench, 64 clients: 1 347 and 2 226 tps with it, 4 783 and 4 355
-- without, alternating). setaside's own writes of purchases (the API, the pages, the
-- command line's imports) send one notice per burst instead, after they commit
-- (`ReportNotifier`); a purchase inserted by hand with psql reaches the servers' kept
-- reports when they expire (five minutes) or with the next notice.
CREATE FUNCTION notify_report_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('setaside_reports', '');
    RETURN NULL;
END
$$;

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['regions', 'units', 'declarations', 'declaration_returns', 'assignments',
                                'agreements', 'purchase_status_changes', 'findings',
                                'policy_packs', 'policy_rules', 'policy_deadlines']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION notify_report_change()',
                       name || '_report_notify', name);
    END LOOP;
END
$$;
