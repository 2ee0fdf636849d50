-- Every graded answer, kept forever: the learner's history is the product.
CREATE TABLE attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    exercise    TEXT    NOT NULL,
    task        TEXT    NOT NULL,
    module      TEXT    NOT NULL,
    answer      TEXT    NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    coverage    INTEGER NOT NULL DEFAULT 0,
    points      TEXT    NOT NULL DEFAULT '[]', -- JSON: [{id, hit, evidence}]
    flags       TEXT    NOT NULL DEFAULT '[]', -- JSON: ["over-time", ...]
    elapsed_ms  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,              -- RFC 3339, UTC
    day         TEXT    NOT NULL,              -- the learner's local date, YYYY-MM-DD
    polished    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX attempts_task ON attempts (exercise, task, created_at);
CREATE INDEX attempts_day ON attempts (day);
CREATE INDEX attempts_module ON attempts (module, created_at);

-- What the learner is typing, saved every few seconds so a crash loses little.
CREATE TABLE drafts (
    exercise   TEXT NOT NULL,
    task       TEXT NOT NULL,
    body       TEXT NOT NULL,
    elapsed_ms INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (exercise, task)
);

-- One row per day with practice: time spent and modules completed.
CREATE TABLE practice_days (
    day      TEXT PRIMARY KEY,
    seconds  INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0
);
