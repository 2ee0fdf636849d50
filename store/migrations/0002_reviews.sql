-- The FSRS memory state of every task practised: one row per (exercise, task).
-- It can always be rebuilt by replaying the attempts in time order, so it is a
-- cache of the history, kept as a table so the daily plan reads it in one query.
CREATE TABLE reviews (
    exercise    TEXT    NOT NULL,
    task        TEXT    NOT NULL,
    stability   REAL    NOT NULL,              -- days until recall falls to 90%
    difficulty  REAL    NOT NULL,              -- 1 .. 10
    due         TEXT    NOT NULL,              -- RFC 3339, UTC, at the retention of the last review
    last_review TEXT    NOT NULL,              -- RFC 3339, UTC
    reps        INTEGER NOT NULL DEFAULT 0,
    lapses      INTEGER NOT NULL DEFAULT 0,
    state       INTEGER NOT NULL DEFAULT 0,    -- 0 new, 1 learning, 2 review, 3 relearning
    PRIMARY KEY (exercise, task)
);
CREATE INDEX reviews_due ON reviews (due);

