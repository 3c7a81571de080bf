-- Schema version 1. Never edit this file once released: add a new one.
CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    -- The patient's local date and time of the entry: what the rules read.
    date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    time TEXT NOT NULL CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]'),
    -- The same moment as a UTC instant (unix seconds) and the offset then.
    utc INTEGER NOT NULL,
    utc_offset INTEGER NOT NULL CHECK (utc_offset BETWEEN -64800 AND 64800),
    weight_kg REAL CHECK (weight_kg BETWEEN 20 AND 350),
    systolic INTEGER CHECK (systolic BETWEEN 40 AND 300),
    diastolic INTEGER CHECK (diastolic BETWEEN 20 AND 200),
    standing_systolic INTEGER CHECK (standing_systolic BETWEEN 40 AND 300),
    standing_diastolic INTEGER CHECK (standing_diastolic BETWEEN 20 AND 200),
    heart_rate INTEGER CHECK (heart_rate BETWEEN 20 AND 250),
    urine TEXT CHECK (urine IN ('less', 'normal', 'more')),
    urine_ml INTEGER CHECK (urine_ml BETWEEN 0 AND 10000),
    note TEXT CHECK (length(note) <= 4000),
    CHECK ((systolic IS NULL) = (diastolic IS NULL)),
    CHECK (diastolic < systolic),
    CHECK ((standing_systolic IS NULL) = (standing_diastolic IS NULL)),
    CHECK (standing_diastolic < standing_systolic)
) STRICT;

CREATE INDEX entry_by_day ON entry (date, time, id);

CREATE TABLE symptom (
    entry_id INTEGER NOT NULL REFERENCES entry (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 3),
    PRIMARY KEY (entry_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE lab (
    entry_id INTEGER NOT NULL REFERENCES entry (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name IN ('hemoglobin', 'hematocrit', 'albumin')),
    value REAL NOT NULL,
    PRIMARY KEY (entry_id, name),
    CHECK (name <> 'hemoglobin' OR value BETWEEN 3 AND 25),
    CHECK (name <> 'hematocrit' OR value BETWEEN 10 AND 80),
    CHECK (name <> 'albumin' OR value BETWEEN 5 AND 60)
) STRICT, WITHOUT ROWID;

CREATE TABLE medication (
    entry_id INTEGER NOT NULL REFERENCES entry (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    dose TEXT CHECK (length(dose) <= 100),
    PRIMARY KEY (entry_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX medication_by_name ON medication (name);

CREATE TABLE episode (
    id INTEGER PRIMARY KEY,
    start_date TEXT NOT NULL CHECK (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),
    hospitalized INTEGER NOT NULL DEFAULT 0 CHECK (hospitalized IN (0, 1)),
    note TEXT CHECK (length(note) <= 4000)
) STRICT;

CREATE INDEX episode_by_start ON episode (start_date);
