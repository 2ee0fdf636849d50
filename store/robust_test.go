package store

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// A file name is a path, never a URI: '?' and '#' stay in the name.
func TestPathIsNotAURI(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"we?ird.db", "hash#tag.db", "100%.db", "mode=ro?x.db"} {
		s, err := Open(ctx, filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := s.RecordAttempt(ctx, &Attempt{Exercise: "ex", Task: "t", Module: "debug", Answer: "a", Score: 50}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.Close()
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatalf("%s was not written under its own name: %v", name, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n == "we" || n == "hash" || n == "100" || n == "mode=ro" {
			t.Fatalf("a file named %q appeared: the path was read as a URI", n)
		}
	}
}

// An attempt and its schedule are saved together or not at all: a review the
// store cannot hold (due past year 9999) leaves no attempt behind.
func TestAttemptAndReviewInOneTransaction(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(9999, 12, 30, 12, 0, 0, 0, time.UTC)
	a := &Attempt{Exercise: "ex", Task: "t", Module: "debug", Answer: "a", Score: 95, CreatedAt: at}
	_, err := s.RecordAttemptReview(ctx, a, func(prev Review, found bool) Review {
		return Review{Stability: 30, Difficulty: 5, LastReview: at, Due: at.AddDate(0, 0, 30), Reps: 1, State: 2}
	})
	if err == nil {
		t.Fatal("a review due in year 10000 was stored")
	}
	if as, err := s.Attempts(ctx, Filter{}); err != nil || len(as) != 0 {
		t.Fatalf("attempts after the failed record: %d, %v; want none", len(as), err)
	}
	if rs, err := s.Reviews(ctx); err != nil || len(rs) != 0 {
		t.Fatalf("reviews: %v, %v", rs, err)
	}

	// The good case saves both, and clears the draft.
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	if err := s.SaveDraft(ctx, Draft{Exercise: "ex", Task: "t", Body: "half"}); err != nil {
		t.Fatal(err)
	}
	a = &Attempt{Exercise: "ex", Task: "t", Module: "debug", Answer: "a", Score: 80, CreatedAt: now}
	r, err := s.RecordAttemptReview(ctx, a, func(prev Review, found bool) Review {
		if found {
			t.Error("a new task was found")
		}
		return Review{Stability: 3, Difficulty: 5, LastReview: now, Due: now.AddDate(0, 0, 3), Reps: 1, State: 2}
	})
	if err != nil || r.Reps != 1 {
		t.Fatalf("record: %+v, %v", r, err)
	}
	if got, err := s.GetReview(ctx, "ex", "t"); err != nil || !got.Due.Equal(now.AddDate(0, 0, 3)) {
		t.Fatalf("review read back: %+v, %v", got, err)
	}
	if _, err := s.GetDraft(ctx, "ex", "t"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("draft kept after the attempt: %v", err)
	}
}

// An import refuses dates the schedule cannot hold or that cannot be real,
// naming the attempt, and adds nothing.
func TestImportRefusesImpossibleDates(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	good := Attempt{Exercise: "ex", Task: "t", Module: "debug", Answer: "a", Score: 50, CreatedAt: now.Add(-time.Hour)}
	for _, bad := range []time.Time{
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
		now.Add(MaxClockSkew + time.Minute),
		time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC),
	} {
		b := good
		b.CreatedAt = bad
		n, err := s.ImportAttempts(ctx, []Attempt{good, b})
		if !errors.Is(err, ErrOutOfRange) || n != 0 || !strings.Contains(err.Error(), "attempt 2") {
			t.Errorf("%s: added %d, err %v; want attempt 2 refused", bad, n, err)
		}
	}
	b := good
	b.ElapsedMS = -5000
	if _, err := s.ImportAttempts(ctx, []Attempt{b}); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("negative elapsed: %v", err)
	}
	if as, _ := s.Attempts(ctx, Filter{}); len(as) != 0 {
		t.Fatalf("%d attempts added by refused imports", len(as))
	}
	// Within the skew is fine: two machines' clocks differ a little.
	b = good
	b.CreatedAt = now.Add(MaxClockSkew / 2)
	if n, err := s.ImportAttempts(ctx, []Attempt{good, b}); err != nil || n != 2 {
		t.Fatalf("import within the skew: %d, %v", n, err)
	}
}

var updateFixtures = flag.Bool("update-fixtures", false, "write testdata/schema-N.db from the first N migrations (only for a new schema version)")

// fixtureData is what every fixture holds: attempts over two days, a draft,
// and (from schema 2) a review.
func fillFixture(t *testing.T, s *Store, version int) {
	ctx := context.Background()
	day := time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC)
	for i, a := range []Attempt{
		{Exercise: "containerd-commit-writer", Task: "opening", Module: "debug", Answer: "GC ran before commit 中文", Score: 35,
			Points: []Point{{ID: "gc-race", Hit: true, Evidence: "GC ran before commit"}}, Flags: []string{"non-english"}, ElapsedMS: 31000},
		{Exercise: "containerd-commit-writer", Task: "opening", Module: "debug", Answer: "The writer is shared.", Score: 75, ElapsedMS: 28000},
		{Exercise: "image-pull-efficiency", Task: "recommend", Module: "design", Answer: "Lazy pull.", Score: 90, ElapsedMS: 600000},
	} {
		a.CreatedAt = day.AddDate(0, 0, i)
		a.Day = a.CreatedAt.Format(DateLayout)
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := insertAttempt(ctx, tx, &a); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.Exec(`INSERT INTO drafts (exercise, task, body, elapsed_ms, updated_at) VALUES ('slo-burn-missing-spans', 'opening', 'half an answer', 12000, '2026-11-22T09:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if version >= 2 {
		if _, err := s.db.Exec(`INSERT INTO reviews (exercise, task, stability, difficulty, due, last_review, reps, lapses, state)
			VALUES ('containerd-commit-writer', 'opening', 3.17, 5.28, '2026-11-24T08:30:00Z', '2026-11-21T08:30:00Z', 2, 0, 2)`); err != nil {
			t.Fatal(err)
		}
	}
}

func migrationNames(t *testing.T) []string {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

// writeFixture builds testdata/schema-N.db with the first N migrations. The
// files are kept in git, so a later edit to an old migration cannot slip by.
func writeFixture(t *testing.T, version int) {
	ctx := context.Background()
	path := fixturePath(version)
	os.Remove(path)
	db, err := sql.Open("sqlite3", dsn(mustAbs(t, path), url.Values{"_journal_mode": {"DELETE"}}))
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{db: db, Now: time.Now}
	defer s.Close()
	if _, err := db.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range migrationNames(t)[:version] {
		if err := s.migrateFile(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	fillFixture(t, s, version)
}

func fixturePath(version int) string {
	return filepath.Join("testdata", fmt.Sprintf("schema-%d.db", version))
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Every earlier schema opens, is migrated to the current one, and keeps every
// attempt, draft and review it held.
func TestMigrateFromEveryEarlierSchema(t *testing.T) {
	names := migrationNames(t)
	for v := 1; v < len(names); v++ {
		if *updateFixtures {
			writeFixture(t, v)
		}
		t.Run(fmt.Sprintf("schema-%d", v), func(t *testing.T) {
			ctx := context.Background()
			data, err := os.ReadFile(fixturePath(v))
			if err != nil {
				t.Fatalf("no fixture for schema %d (write it with -update-fixtures): %v", v, err)
			}
			path := filepath.Join(t.TempDir(), "drill.db")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			applied, err := s.Migrations(ctx)
			if err != nil || strings.Join(applied, ",") != strings.Join(names, ",") {
				t.Fatalf("migrations after open = %v, %v; want %v", applied, err, names)
			}
			as, err := s.Attempts(ctx, Filter{})
			if err != nil || len(as) != 3 {
				t.Fatalf("attempts = %d, %v; want the fixture's 3", len(as), err)
			}
			if as[0].Answer != "GC ran before commit 中文" || as[0].Points[0].Evidence != "GC ran before commit" ||
				as[0].Flags[0] != "non-english" || as[2].Score != 90 || as[2].Day != "2026-11-22" {
				t.Fatalf("attempts changed by the migration: %+v", as)
			}
			if d, err := s.GetDraft(ctx, "slo-burn-missing-spans", "opening"); err != nil || d.Body != "half an answer" {
				t.Fatalf("draft = %+v, %v", d, err)
			}
			rs, err := s.Reviews(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v >= 2 && (len(rs) != 1 || rs[0].Reps != 2) {
				t.Fatalf("reviews = %+v", rs)
			}
			days, err := s.Days(ctx)
			if err != nil || len(days) != 3 {
				t.Fatalf("days = %v, %v", days, err)
			}
			// And it is a working database of today's schema.
			if _, err := s.RecordAttemptReview(ctx, &Attempt{Exercise: "ex", Task: "t", Module: "debug", Answer: "a", Score: 60},
				func(Review, bool) Review {
					now := time.Now()
					return Review{Stability: 1, Difficulty: 5, LastReview: now, Due: now.AddDate(0, 0, 1), Reps: 1}
				}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
