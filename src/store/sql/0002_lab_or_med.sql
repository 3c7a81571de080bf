-- Schema version 2. Never edit this file once released: add a new one.
--
-- Mark the entries that have a lab or a medication, and index the marked ones
-- by day: `cls check` reads those among the older days (lab baselines, the
-- last infusion) without reading every entry of the past year and more.
-- cls sets the mark whenever it writes an entry (all entries are written
-- whole, with their labs and medications, in one transaction).
ALTER TABLE entry ADD COLUMN has_lab_or_med INTEGER NOT NULL DEFAULT 0
    CHECK (has_lab_or_med IN (0, 1));

UPDATE entry SET has_lab_or_med = 1
WHERE id IN (SELECT entry_id FROM lab UNION SELECT entry_id FROM medication);

CREATE INDEX entry_with_lab_or_med ON entry (date) WHERE has_lab_or_med = 1;
