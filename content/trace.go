package content

import (
	"context"
	"sync"
	"time"
)

// Kind names what happened in a trace event.
type Kind string

// The event kinds the instrumented store records. Writer events carry the
// writer id so a reader can tell when two importers touch the same writer.
const (
	WriterOpen    Kind = "writer.open"
	WriterReuse   Kind = "writer.reuse"
	WriterWrite   Kind = "writer.write"
	WriterCommit  Kind = "writer.commit"
	WriterClose   Kind = "writer.close"
	WriterAbort   Kind = "writer.abort"
	GCStart       Kind = "gc.start"
	GCEnd         Kind = "gc.end"
	GCRemove      Kind = "gc.remove"
	LeaseAdd      Kind = "lease.add"
	LeaseRemove   Kind = "lease.remove"
	LeaseResource Kind = "lease.resource"
)

// Event is one traced moment of the store's life.
type Event struct {
	Seq       uint64        `json:"seq"`
	Time      time.Time     `json:"time"`
	Kind      Kind          `json:"kind"`
	Namespace string        `json:"namespace,omitempty"`
	Ref       string        `json:"ref,omitempty"`
	Importer  string        `json:"importer,omitempty"`
	Writer    uint64        `json:"writer,omitempty"`
	Digest    string        `json:"digest,omitempty"`
	Lease     string        `json:"lease,omitempty"`
	Bytes     int64         `json:"bytes,omitempty"`
	Duration  time.Duration `json:"duration_ns,omitempty"`
	Err       string        `json:"error,omitempty"`
}

// Trace keeps the most recent events in a fixed-size ring, so a long-running
// server keeps bounded memory while a repro run can still read back a whole
// failing trial.
type Trace struct {
	mu   sync.Mutex
	buf  []Event
	next uint64 // sequence number of the next event; also the count ever recorded
	now  func() time.Time
}

// NewTrace returns a trace that remembers the last capacity events.
func NewTrace(capacity int) *Trace {
	if capacity <= 0 {
		capacity = 4096
	}
	return &Trace{buf: make([]Event, capacity), now: time.Now}
}

func (t *Trace) add(e Event) {
	if t == nil {
		return
	}
	t.mu.Lock()
	e.Seq = t.next
	if e.Time.IsZero() {
		e.Time = t.now()
	}
	t.buf[t.next%uint64(len(t.buf))] = e
	t.next++
	t.mu.Unlock()
}

// Events returns the remembered events with Seq >= since, oldest first.
func (t *Trace) Events(since uint64) []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := uint64(len(t.buf))
	first := uint64(0)
	if t.next > n {
		first = t.next - n
	}
	if since > first {
		first = since
	}
	out := make([]Event, 0, t.next-min(first, t.next))
	for s := first; s < t.next; s++ {
		out = append(out, t.buf[s%n])
	}
	return out
}

// Next returns the sequence number the next event will get; pass it to
// Events later to read only what happened in between.
func (t *Trace) Next() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.next
}

type importerKey struct{}

// WithImporter tags ctx with the id of the importer acting through it, so
// writer events say who wrote.
func WithImporter(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, importerKey{}, id)
}

// ImporterFrom returns the importer id set by WithImporter, or "".
func ImporterFrom(ctx context.Context) string {
	id, _ := ctx.Value(importerKey{}).(string)
	return id
}
