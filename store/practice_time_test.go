package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Time spent reading feedback joins the day's time and the totals, without
// counting as an attempt.
func TestPracticeTimeAddsToTheDay(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 11, 25, 8, 45, 0, 0, time.Local)
	day := at.Format(DateLayout)
	if err := s.RecordAttempt(ctx, &Attempt{Exercise: "e", Task: "t", Module: "debug", Answer: "a", ElapsedMS: 40_500, CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPracticeTime(ctx, day, 75*time.Second+900*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	d, err := s.PracticeDay(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if d.Seconds != 40+75 || d.Attempts != 1 {
		t.Fatalf("day = %+v, want 115 s and 1 attempt", d)
	}
	tot, err := s.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tot.Seconds != 115 || tot.Attempts != 1 || tot.Days != 1 {
		t.Fatalf("totals = %+v", tot)
	}
	if d, err := s.PracticeDay(ctx, "2026-11-24"); err != nil || d.Seconds != 0 || d.Attempts != 0 {
		t.Fatalf("a day without practice = %+v, %v", d, err)
	}
	for _, bad := range []struct {
		day string
		d   time.Duration
	}{{"25/11/2026", time.Second}, {day, -time.Second}} {
		if err := s.AddPracticeTime(ctx, bad.day, bad.d); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("AddPracticeTime(%q, %v) = %v, want ErrOutOfRange", bad.day, bad.d, err)
		}
	}
}
