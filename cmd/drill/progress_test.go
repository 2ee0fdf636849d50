package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// progressFactory is a factory over the database db with the clock frozen at now.
func progressFactory(t *testing.T, db string, now time.Time) (*Factory, *bytes.Buffer) {
	t.Helper()
	f, _ := testFactory(t, map[string]string{"DRILL_NOW": now.Format(time.RFC3339)})
	out := &bytes.Buffer{}
	f.IO.Out, f.IO.ErrOut = out, &bytes.Buffer{}
	f.dbFlag = db
	return f, out
}

// history writes a varied history into db the way `drill answer` does.
func history(t *testing.T, db string) []store.Attempt {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	base := time.Date(2026, 10, 1, 8, 45, 0, 123456789, time.Local)
	for i := 0; i < 40; i++ {
		at := base.Add(time.Duration(i) * 26 * time.Hour)
		a := &store.Attempt{Exercise: []string{"containerd-commit-writer", "mirror-probe-response-body"}[i%2],
			Task: []string{"opening", "review"}[i%2], Module: []string{"debug", "review"}[i%2],
			Answer: "GC ran before commit; 写 `x` ```y```\nsecond line", Score: (i * 29) % 101, Coverage: i,
			Points: []store.Point{{ID: "symptom", Hit: i%3 == 0, Evidence: "GC ran before commit"}},
			Flags:  []string{"over-time"}[:i%2], ElapsedMS: int64(i) * 1000, CreatedAt: at}
		if err := st.RecordAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 {
			if err := st.SetPolished(ctx, a.ID, "Polished answer."); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := schedule.Review(ctx, st, a, at, schedule.DefaultRetention); err != nil {
			t.Fatal(err)
		}
	}
	as, err := st.Attempts(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	want := history(t, src)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)

	f, _ := progressFactory(t, src, now)
	file := filepath.Join(dir, "backup.json")
	if err := runExport(ctx, &exportOptions{IO: f.IO, Store: f.Store, Now: f.Now, Format: "json", Output: file}); err != nil {
		t.Fatal(err)
	}
	for i, wantOut := range []string{"imported 40 of 40 attempts (0 already present)\n", "imported 0 of 40 attempts (40 already present)\n"} {
		f, out := progressFactory(t, dst, now)
		if err := runImport(ctx, &importOptions{IO: f.IO, Practice: f.Practice, File: file}); err != nil {
			t.Fatal(err)
		}
		if out.String() != wantOut {
			t.Fatalf("import #%d said %q, want %q", i+1, out.String(), wantOut)
		}
	}

	st, err := store.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Attempts(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d attempts after import, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if !g.CreatedAt.Equal(w.CreatedAt) {
			t.Fatalf("attempt %d created_at %v, want %v", i, g.CreatedAt, w.CreatedAt)
		}
		w.ID, g.ID = 0, 0
		w.CreatedAt, g.CreatedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("attempt %d differs after the round trip:\n got %+v\nwant %+v", i, g, w)
		}
	}
	// The schedule rebuilt from the imported history matches the one kept
	// review by review.
	src2, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer src2.Close()
	rw, _ := src2.Reviews(ctx)
	rg, _ := st.Reviews(ctx)
	if len(rw) != 2 || len(rg) != len(rw) {
		t.Fatalf("reviews: %d imported, %d original", len(rg), len(rw))
	}
	for i := range rw {
		if rg[i].Exercise != rw[i].Exercise || rg[i].Reps != rw[i].Reps || rg[i].Lapses != rw[i].Lapses ||
			math.Abs(rg[i].Stability-rw[i].Stability) > 1e-9 || !rg[i].Due.Equal(rw[i].Due) {
			t.Fatalf("review %d: imported %+v, original %+v", i, rg[i], rw[i])
		}
	}
}

func TestExportCSVIsAReviewLog(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "drill.db")
	as := history(t, db)
	f, out := progressFactory(t, db, time.Now())
	if err := runExport(ctx, &exportOptions{IO: f.IO, Store: f.Store, Now: f.Now, Format: "csv"}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "card_id,review_time,review_rating,review_state,review_duration" {
		t.Fatalf("header %v", recs[0])
	}
	if len(recs)-1 != len(as) {
		t.Fatalf("%d rows for %d attempts", len(recs)-1, len(as))
	}
	first := recs[1]
	wantID := schedule.CardID(as[0].Exercise, as[0].Task)
	if first[0] != itoa(wantID) || first[1] != itoa(as[0].CreatedAt.UnixMilli()) || first[3] != "0" {
		t.Fatalf("first row %v; want card %d at %d in state 0 (new)", first, wantID, as[0].CreatedAt.UnixMilli())
	}
	// The same task's second review is no longer new.
	if recs[3][0] != first[0] || recs[3][3] == "0" {
		t.Fatalf("second review of the card: %v", recs[3])
	}
	if recs[2][4] != "1000" {
		t.Fatalf("review_duration %q, want 1000 (ms)", recs[2][4])
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
