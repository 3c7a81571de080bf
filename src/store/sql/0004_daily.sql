-- Schema version 4. Never edit this file once released: add a new one.
--
-- The daily loop (issue 18): acknowledgements and hook firings live in the
-- diary, so that backups and restores carry them with the entries.
--
-- An acknowledgement ("I have acted on this", clinical.md §3 v2) of one
-- finding on one logical day. `seen` lists every rule at watch or above
-- when it was made, as "RULE:level" separated by spaces: the ack lapses as
-- soon as a rule fires that is not in it, or fires at a higher level.
-- `lapsed` is when a cls command first saw that (NULL while it holds); an
-- ack of an earlier logical day has lapsed whatever it says.
CREATE TABLE ack (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL CHECK (date(day, '+0 days') IS day),
    rule TEXT NOT NULL CHECK (length(rule) BETWEEN 1 AND 100),
    level TEXT NOT NULL CHECK (level IN ('watch', 'warning')),
    -- When it was made: RFC 3339 with the UTC offset of the moment.
    at TEXT NOT NULL CHECK (length(at) BETWEEN 20 AND 40),
    note TEXT CHECK (length(note) <= 4000),
    seen TEXT NOT NULL CHECK (length(seen) <= 4000),
    lapsed TEXT CHECK (lapsed IS NULL OR length(lapsed) BETWEEN 20 AND 40)
) STRICT;

CREATE INDEX ack_by_day ON ack (day);

-- The highest level at which the hooks ran on a logical day: they run again
-- only when the level rises above it (once per level per day).
CREATE TABLE hook_fired (
    day TEXT PRIMARY KEY CHECK (date(day, '+0 days') IS day),
    level TEXT NOT NULL CHECK (level IN ('unknown', 'watch', 'warning', 'emergency')),
    at TEXT NOT NULL CHECK (length(at) BETWEEN 20 AND 40)
) STRICT, WITHOUT ROWID;
