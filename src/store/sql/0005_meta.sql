-- Schema version 5 (after 0004). Never edit this file once released: add a new one.
--
-- Facts about the diary as a whole, one key per row. The first key is
-- `synthetic`: `cls demo` sets it to 'demo' in the transaction that writes
-- its made-up entries, so that every output made from the file can say it is
-- a synthetic demo diary and never print the patient's name from the config
-- over invented vitals (issue 16, clinical.md §4). Backups and restores copy
-- it like any other table.
CREATE TABLE meta (
    key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
    value TEXT NOT NULL CHECK (length(value) <= 1000)
) STRICT, WITHOUT ROWID;
