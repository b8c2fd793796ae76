-- Every stored text has a length limit, as the files and the API check it (issue 10):
-- names 200 characters, a finding's reason 2 000. NOT VALID: rows stored before are
-- kept as they are (a name of megabytes stored then is for an admin to correct), and
-- every new row is checked.
ALTER TABLE regions ADD CONSTRAINT regions_name_length CHECK (char_length(name) <= 200) NOT VALID;
ALTER TABLE units ADD CONSTRAINT units_name_length CHECK (char_length(name) <= 200) NOT VALID;
ALTER TABLE findings ADD CONSTRAINT findings_reason_length CHECK (char_length(reason) <= 2000) NOT VALID;
ALTER TABLE purchases ADD CONSTRAINT purchases_festival_length CHECK (char_length(festival) <= 200) NOT VALID;
