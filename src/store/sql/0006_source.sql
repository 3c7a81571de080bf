-- Schema version 6 (after 0005). Never edit this file once released: add a new one.
--
-- Where an entry came from (issue 19): NULL for one the patient typed (or
-- brought back from a cls export of typed entries), otherwise the device
-- export `cls import --from` read it from: 'withings', 'openscale', 'omron',
-- 'beurer' or 'apple-health'. A plain name rather than a fixed list, so
-- that a new device needs no migration; existing rows stay NULL.
ALTER TABLE entry ADD COLUMN source TEXT CHECK (source IS NULL OR length(source) BETWEEN 1 AND 40);
