-- Schema version 3. Never edit this file once released: add a new one.
--
-- Only real calendar dates and clock times from now on. Version 1's CHECKs
-- test the shape (a GLOB), so a hand-edited '2026-19-39', '29:59' or an
-- episode on '2026-02-30' was accepted, and then no command could read the
-- diary. SQLite cannot add a CHECK to an existing table without rebuilding
-- it, and rebuilding `entry` under foreign keys would cascade-delete its
-- symptoms, labs and medications; these triggers refuse the same rows on
-- every INSERT and UPDATE instead. Rows already stored are kept as they are
-- (the migration never fails on them): reads skip them and say so, and
-- `cls doctor` lists each one.
--
-- date(x, '+0 days') normalises an impossible day ('2026-02-30' becomes
-- '2026-03-02'), so it equals x only for a real date of that shape.
CREATE TRIGGER entry_real_date_insert BEFORE INSERT ON entry
WHEN date(NEW.date, '+0 days') IS NOT NEW.date OR NEW.time NOT BETWEEN '00:00' AND '23:59'
BEGIN
    SELECT RAISE(ABORT, 'entry: the date or time is not a real calendar date (YYYY-MM-DD) and time (HH:MM)');
END;

CREATE TRIGGER entry_real_date_update BEFORE UPDATE OF date, time ON entry
WHEN date(NEW.date, '+0 days') IS NOT NEW.date OR NEW.time NOT BETWEEN '00:00' AND '23:59'
BEGIN
    SELECT RAISE(ABORT, 'entry: the date or time is not a real calendar date (YYYY-MM-DD) and time (HH:MM)');
END;

CREATE TRIGGER episode_real_date_insert BEFORE INSERT ON episode
WHEN date(NEW.start_date, '+0 days') IS NOT NEW.start_date
  OR (NEW.end_date IS NOT NULL AND date(NEW.end_date, '+0 days') IS NOT NEW.end_date)
BEGIN
    SELECT RAISE(ABORT, 'episode: a date is not a real calendar date (YYYY-MM-DD)');
END;

CREATE TRIGGER episode_real_date_update BEFORE UPDATE OF start_date, end_date ON episode
WHEN date(NEW.start_date, '+0 days') IS NOT NEW.start_date
  OR (NEW.end_date IS NOT NULL AND date(NEW.end_date, '+0 days') IS NOT NEW.end_date)
BEGIN
    SELECT RAISE(ABORT, 'episode: a date is not a real calendar date (YYYY-MM-DD)');
END;
