package content

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Metrics are the Prometheus collectors of one or more stores. They live in
// their own registry rather than the global one, so several stores (tests,
// repro trials) never collide and /metrics shows only the sandbox.
type Metrics struct {
	reg *prometheus.Registry

	WriterLifetime   prometheus.Histogram
	WriterReused     prometheus.Counter
	ActiveWriters    prometheus.Gauge
	CommitFailures   prometheus.Counter
	WritersOpened    prometheus.Counter
	Commits          prometheus.Counter
	BytesWritten     prometheus.Counter
	GCRuns           prometheus.Counter
	GCDuration       prometheus.Histogram
	GCBlobsRemoved   prometheus.Counter
	ActiveLeases     prometheus.Gauge
	ImporterPanics   prometheus.Counter
	ImportsByOutcome *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them in a fresh registry.
// The first four names are the ones the debug drill's answer proposes.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		WriterLifetime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "blob_writer_lifetime_seconds",
			Help:    "Time from opening a content writer to its commit, close or abort.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		WriterReused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "blob_writer_reused_total",
			Help: "Times an already open writer was handed to another importer.",
		}),
		ActiveWriters: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "active_writer_count",
			Help: "Content writers opened and not yet committed, closed or aborted.",
		}),
		CommitFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "writer_commit_failure_total",
			Help: "Writer commits that failed (content that already exists is not a failure).",
		}),
		WritersOpened: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "blob_writer_opened_total",
			Help: "Content writers opened.",
		}),
		Commits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "writer_commit_total",
			Help: "Writer commit calls, successful or not.",
		}),
		BytesWritten: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "blob_bytes_written_total",
			Help: "Bytes written into content writers.",
		}),
		GCRuns: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gc_runs_total",
			Help: "Metadata garbage collections run.",
		}),
		GCDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "gc_duration_seconds",
			Help:    "Duration of a metadata garbage collection, content cleanup included.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 14),
		}),
		GCBlobsRemoved: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gc_blobs_removed_total",
			Help: "Blobs deleted from the content store by garbage collection.",
		}),
		ActiveLeases: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "lease_active_count",
			Help: "Leases created through the store and not yet deleted.",
		}),
		ImporterPanics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "importer_panic_total",
			Help: "Importers that panicked inside the content writer and were recovered.",
		}),
		ImportsByOutcome: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "blob_import_total",
			Help: "Blob imports by outcome.",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.WriterLifetime, m.WriterReused, m.ActiveWriters, m.CommitFailures,
		m.WritersOpened, m.Commits, m.BytesWritten, m.GCRuns, m.GCDuration, m.GCBlobsRemoved,
		m.ActiveLeases, m.ImporterPanics, m.ImportsByOutcome)
	return m
}

// Registry is where the collectors live; serve it with promhttp.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Summary is a flat reading of the metrics for the repro report.
type Summary struct {
	WritersOpened   float64 `json:"writers_opened"`
	WriterReused    float64 `json:"writer_reused"`
	ActiveWriters   float64 `json:"active_writers"`
	Commits         float64 `json:"commits"`
	CommitFailures  float64 `json:"commit_failures"`
	LifetimeCount   uint64  `json:"writer_lifetime_count"`
	LifetimeMeanSec float64 `json:"writer_lifetime_mean_seconds"`
	GCRuns          float64 `json:"gc_runs"`
	GCBlobsRemoved  float64 `json:"gc_blobs_removed"`
	GCMeanSec       float64 `json:"gc_mean_seconds"`
	ImporterPanics  float64 `json:"importer_panics"`
	BytesWritten    float64 `json:"bytes_written"`
}

// Summary reads the current values.
func (m *Metrics) Summary() Summary {
	read := func(c prometheus.Metric) *dto.Metric {
		var d dto.Metric
		_ = c.Write(&d) // Write on client_golang's own collectors does not fail.
		return &d
	}
	s := Summary{
		WritersOpened:  read(m.WritersOpened).GetCounter().GetValue(),
		WriterReused:   read(m.WriterReused).GetCounter().GetValue(),
		ActiveWriters:  read(m.ActiveWriters).GetGauge().GetValue(),
		Commits:        read(m.Commits).GetCounter().GetValue(),
		CommitFailures: read(m.CommitFailures).GetCounter().GetValue(),
		GCRuns:         read(m.GCRuns).GetCounter().GetValue(),
		GCBlobsRemoved: read(m.GCBlobsRemoved).GetCounter().GetValue(),
		ImporterPanics: read(m.ImporterPanics).GetCounter().GetValue(),
		BytesWritten:   read(m.BytesWritten).GetCounter().GetValue(),
	}
	if h := read(m.WriterLifetime).GetHistogram(); h.GetSampleCount() > 0 {
		s.LifetimeCount = h.GetSampleCount()
		s.LifetimeMeanSec = h.GetSampleSum() / float64(h.GetSampleCount())
	}
	if h := read(m.GCDuration).GetHistogram(); h.GetSampleCount() > 0 {
		s.GCMeanSec = h.GetSampleSum() / float64(h.GetSampleCount())
	}
	return s
}
