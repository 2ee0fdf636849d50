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

// Trace keeps the most recent events in fixed-size rings, so a long-running
// server keeps bounded memory while a repro run can still read back a whole
// failing trial. Garbage collection has a ring of its own: a background GC
// every few milliseconds records two events per run even when it removes
// nothing, and in one shared ring those would evict every writer event.
type Trace struct {
	mu     sync.Mutex
	writes ring // writers, leases: everything but GC
	gc     ring
	next   uint64 // sequence number of the next event; also the count ever recorded
	now    func() time.Time
}

// ring holds the last len(buf) events of one kind, in order.
type ring struct {
	buf   []Event
	added uint64
}

func (r *ring) put(e Event) {
	r.buf[r.added%uint64(len(r.buf))] = e
	r.added++
}

// since returns the kept events with Seq >= seq, oldest first.
func (r *ring) since(seq uint64) []Event {
	n := uint64(len(r.buf))
	first := uint64(0)
	if r.added > n {
		first = r.added - n
	}
	var out []Event
	for i := first; i < r.added; i++ {
		if e := r.buf[i%n]; e.Seq >= seq {
			out = append(out, e)
		}
	}
	return out
}

// NewTrace returns a trace that remembers the last capacity writer and
// lease events, and the last capacity/4 (at least 64) GC events.
func NewTrace(capacity int) *Trace {
	if capacity <= 0 {
		capacity = 4096
	}
	return &Trace{
		writes: ring{buf: make([]Event, capacity)},
		gc:     ring{buf: make([]Event, max(64, capacity/4))},
		now:    time.Now,
	}
}

func isGC(k Kind) bool { return k == GCStart || k == GCEnd || k == GCRemove }

func (t *Trace) add(e Event) {
	if t == nil {
		return
	}
	t.mu.Lock()
	e.Seq = t.next
	if e.Time.IsZero() {
		e.Time = t.now()
	}
	if isGC(e.Kind) {
		t.gc.put(e)
	} else {
		t.writes.put(e)
	}
	t.next++
	t.mu.Unlock()
}

// Events returns the remembered events with Seq >= since, oldest first.
func (t *Trace) Events(since uint64) []Event {
	t.mu.Lock()
	a, b := t.writes.since(since), t.gc.since(since)
	t.mu.Unlock()
	out := make([]Event, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].Seq < b[0].Seq {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
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
