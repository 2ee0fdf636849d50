package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// FuzzImport: whatever file is imported, drill either refuses it or imports
// it into a database that still reads back and schedules. One imported record
// must never break every later command.
func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"kind":"drill-export","version":1,"attempts":[{"exercise":"e","task":"t","module":"debug","answer":"a","score":50,"created_at":"2026-11-20T08:00:00Z"}]}`))
	f.Add([]byte(`{"kind":"drill-export","version":1,"attempts":[{"exercise":"e","task":"t","score":90,"created_at":"9999-12-31T10:00:00Z"}]}`))
	f.Add([]byte(`{"kind":"drill-export","version":1,"attempts":[{"exercise":"e","task":"t","score":90,"created_at":"2026-11-25T08:00:00+14:00","day":"x","elapsed_ms":-1}]}`))
	f.Add([]byte(`{"kind":"drill-export","attempts":[]}`))
	f.Add([]byte(`{"kind":"drill-export","version":1,"attempts":[{"exercise":"e","task":"t","score":101,"created_at":"2026-11-20T08:00:00Z","points":[{"id":"\u001b]52;c;x\u0007"}]}]}`))
	now := time.Date(2026, 11, 25, 8, 45, 0, 0, time.UTC)
	st, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "drill.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	st.Now = func() time.Time { return now }
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		ef, err := parseExport(data)
		if err != nil {
			return
		}
		if _, err := st.ImportAttempts(ctx, ef.Attempts); err != nil {
			return
		}
		if err := schedule.Rebuild(ctx, st, schedule.DefaultRetention); err != nil {
			t.Fatalf("an accepted import cannot be scheduled: %v", err)
		}
		if _, err := st.Attempts(ctx, store.Filter{}); err != nil {
			t.Fatalf("an accepted import cannot be read back: %v", err)
		}
		if _, err := st.Reviews(ctx); err != nil {
			t.Fatalf("an accepted import broke the schedule: %v", err)
		}
	})
}
