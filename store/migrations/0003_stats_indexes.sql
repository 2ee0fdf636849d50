-- Covering indexes for the stats queries, so streaks and spans over years of
-- daily attempts are read from the index alone instead of the answers' table.
CREATE INDEX attempts_day_task ON attempts (day, module, exercise, task);
CREATE INDEX attempts_exercise_day ON attempts (exercise, day);
