//go:build sandbox

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/sandbox"
)

// newSandboxCmd is `drill sandbox`: containerd's real content store,
// in-process, to reproduce the debug drill's import failure.
func newSandboxCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Reproduce, watch and fix the debug drill's blob import failure on containerd's content store",
		Example: `  drill sandbox repro
  drill sandbox repro --fix all --trials 500
  drill sandbox serve --fix lease
  drill sandbox lab init && drill sandbox lab check`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newSandboxReproCmd(f.IO), newSandboxServeCmd(f.IO), newSandboxLabCmd(f))
	return cmd
}

type sandboxReproOptions struct {
	Repro      sandbox.ReproOptions
	Fix        string
	Aggressive bool
	JSON       bool
}

func newSandboxReproCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := sandboxReproOptions{Repro: sandbox.DefaultReproOptions()}
	cmd := &cobra.Command{
		Use:   "repro",
		Short: "Run trials of concurrent importers of one ref and report how they fail",
		Long: `repro runs trials in which several importers write the same blob under one ref
into containerd's content store while garbage collection runs in the background.
With the reviewed design (one shared writer per ref, no lease) some trials fail;
--fix isolate, --fix lease and --fix all apply the mitigations.`,
		Example: `  drill sandbox repro                       # intermittent: the arrival spread is calibrated so about half the trials fail
  drill sandbox repro --aggressive          # every trial fails
  drill sandbox repro --fix isolate         # the shared-writer errors are gone, the GC window stays
  drill sandbox repro --fix all --trials 500 --json
  drill sandbox repro --containerd /run/containerd/containerd.sock   # a running daemon's content store, leases and GC`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fixes, err := parseFixFlag(opts.Fix)
			if err != nil {
				return err
			}
			opts.Repro.Fixes = fixes
			// An explicit --jitter is a fixed jitter, unless a target is asked for too.
			if cmd.Flags().Changed("jitter") && !cmd.Flags().Changed("target-rate") {
				opts.Repro.TargetRate = 0
			}
			if opts.Repro.TargetRate < 0 || opts.Repro.TargetRate >= 1 {
				return usageError{fmt.Errorf("--target-rate %v: want a failure rate from 0 (off) up to, not including, 1", opts.Repro.TargetRate)}
			}
			if opts.Repro.Containerd != "" && !cmd.Flags().Changed("gc-interval") {
				opts.Repro.GCInterval = sandbox.DefaultDaemonGCInterval
			}
			if opts.Aggressive {
				opts.Repro = sandbox.Aggressive(opts.Repro)
			}
			if opts.Repro.Importers < 1 || opts.Repro.Trials < 1 || opts.Repro.BlobSize < 1 {
				return usageError{fmt.Errorf("--importers, --trials and --blob-size must be at least 1")}
			}
			return runSandboxRepro(cmd.Context(), ios, opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Repro.Importers, "importers", opts.Repro.Importers, "concurrent importers of one ref per trial")
	f.DurationVar(&opts.Repro.Jitter, "jitter", opts.Repro.Jitter, "each importer starts after a random delay up to this (fixed, unless --target-rate is given too)")
	f.Float64Var(&opts.Repro.TargetRate, "target-rate", opts.Repro.TargetRate, "calibrate the jitter over the first trials so about this share fails (0: keep --jitter)")
	f.IntVar(&opts.Repro.CalibrationTrials, "calibration-trials", opts.Repro.CalibrationTrials, "trials spent calibrating the jitter, before the measured ones")
	f.IntVar(&opts.Repro.BlobSize, "blob-size", opts.Repro.BlobSize, "blob size in bytes")
	f.DurationVar(&opts.Repro.GCInterval, "gc-interval", opts.Repro.GCInterval, "pause between background GC runs (0: back to back, negative: no GC; with --containerd the default is "+sandbox.DefaultDaemonGCInterval.String()+")")
	f.DurationVar(&opts.Repro.UseDelay, "use-delay", opts.Repro.UseDelay, "pause between commit and reading the blob back")
	f.IntVar(&opts.Repro.Trials, "trials", opts.Repro.Trials, "number of trials")
	f.Uint64Var(&opts.Repro.Seed, "seed", opts.Repro.Seed, "seed for blob contents and arrival times")
	f.StringVar(&opts.Fix, "fix", "", "mitigation: isolate, lease or all (default none: the reviewed design)")
	f.BoolVar(&opts.Aggressive, "aggressive", false, "10 importers arriving together, GC back to back: every trial fails")
	f.BoolVar(&opts.JSON, "json", false, "print the result as JSON: rates with their Wilson interval, error classes, metrics, calibration")
	f.StringVar(&opts.Repro.Dir, "dir", "", "content store directory (default: a temporary one)")
	f.StringVar(&opts.Repro.Containerd, "containerd", "", "socket of a running containerd daemon to use instead of the in-process store (namespace "+sandbox.DaemonNamespace+")")
	f.DurationVar(&opts.Repro.TrialTimeout, "trial-timeout", sandbox.DefaultTrialTimeout, "watchdog: importers still running this long into a trial are reported as hung")
	cmd.MarkFlagsMutuallyExclusive("dir", "containerd")
	return cmd
}

// parseFixFlag reads --fix, or says in one line what it accepts.
func parseFixFlag(v string) (sandbox.Fixes, error) {
	fixes, err := sandbox.ParseFix(v)
	if err != nil {
		return fixes, usageError{fmt.Errorf("--fix %q: want none, isolate, lease or all (isolate,lease combines them)", v)}
	}
	return fixes, nil
}

func runSandboxRepro(ctx context.Context, ios *iostreams.IOStreams, opts sandboxReproOptions) error {
	stdout := ios.Out
	switch {
	case opts.JSON:
	case ios.ProgressBar():
		opts.Repro.Progress = progressBar(ios.ProgressOut())
	default:
		opts.Repro.Progress = progressLines(ios.ErrOut)
	}
	res, err := sandbox.Repro(ctx, opts.Repro)
	if err != nil {
		return err
	}
	if opts.JSON {
		return res.WriteJSON(stdout)
	}
	return res.WriteText(stdout)
}

// progressBar redraws one line on the terminal after each trial.
func progressBar(w io.Writer) func(sandbox.Progress) {
	const width = 30
	return func(p sandbox.Progress) {
		n := p.Done * width / p.Total
		fmt.Fprintf(w, "\r\033[K[%s%s] %d/%d trials, %s", strings.Repeat("#", n), strings.Repeat(".", width-n), p.Done, p.Total, progressNote(p))
		if p.Done == p.Total {
			fmt.Fprint(w, "\r\033[K")
		}
	}
}

// progressLines writes a line at every tenth of the run, for logs and pipes
// where a redrawn bar would be noise.
func progressLines(w io.Writer) func(sandbox.Progress) {
	return func(p sandbox.Progress) {
		if p.Done%max(1, p.Total/10) == 0 && p.Done < p.Total {
			fmt.Fprintf(w, "repro: %d/%d trials, %s\n", p.Done, p.Total, progressNote(p))
		}
	}
}

func progressNote(p sandbox.Progress) string {
	if p.Calibrating {
		return fmt.Sprintf("calibrating arrival spread: %s", p.Jitter.Round(10*time.Microsecond))
	}
	return fmt.Sprintf("%d failed", p.Failed)
}

type sandboxServeOptions struct {
	Serve sandbox.ServeOptions
	Fix   string
}

func newSandboxServeCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := sandboxServeOptions{Serve: sandbox.ServeOptions{
		Addr:          sandbox.DefaultAddr,
		GCInterval:    sandbox.DefaultServeGC,
		UseDelay:      sandbox.DefaultServeUseDelay,
		MaxBodyBytes:  sandbox.DefaultMaxBodyBytes,
		MaxConcurrent: sandbox.DefaultMaxConcurrent,
		BodyTimeout:   sandbox.DefaultBodyTimeout,
	}}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the TransferService over HTTP for hands-on experiments",
		Long: `serve runs the TransferService over containerd's content store behind an HTTP API:

  POST /v1/blobs/import   header Blob-Ref (ingest ref), optional Blob-Digest; body is the blob
  POST /v1/gc/trigger     run garbage collection now
  GET  /v1/blobs/{digest} read a blob back
  GET  /v1/trace          recent trace events (?since=N)
  GET  /metrics           Prometheus metrics

It listens on loopback unless --addr names another host. Stop it with ctrl+c.`,
		Example: `  drill sandbox serve
  drill sandbox serve --fix all --gc-interval 5ms
  curl -X POST http://localhost:4242/v1/blobs/import -H "Blob-Ref: sha256:abc123" --data-binary @sample-blob.img`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fixes, err := parseFixFlag(opts.Fix)
			if err != nil {
				return err
			}
			opts.Serve.Fixes = fixes
			return runSandboxServe(cmd.Context(), ios.Out, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Serve.Addr, "addr", opts.Serve.Addr, "listen address (a bare :port binds loopback)")
	f.StringVar(&opts.Fix, "fix", "", "mitigation: isolate, lease or all (default none: the reviewed design)")
	f.DurationVar(&opts.Serve.GCInterval, "gc-interval", opts.Serve.GCInterval, "pause between background GC runs (0: only on /v1/gc/trigger)")
	f.DurationVar(&opts.Serve.UseDelay, "use-delay", opts.Serve.UseDelay, "pause between commit and reading the blob back")
	f.Int64Var(&opts.Serve.MaxBodyBytes, "max-body", opts.Serve.MaxBodyBytes, "largest accepted blob in bytes")
	f.IntVar(&opts.Serve.MaxConcurrent, "max-concurrent", opts.Serve.MaxConcurrent, "requests served at once; more are refused with 503")
	f.DurationVar(&opts.Serve.BodyTimeout, "body-timeout", opts.Serve.BodyTimeout, "time allowed to receive one import's body; slower clients get 408")
	f.StringVar(&opts.Serve.Dir, "dir", "", "content store directory (default: a temporary one)")
	f.StringVar(&opts.Serve.Containerd, "containerd", "", "socket of a running containerd daemon to use instead of the in-process store (namespace "+sandbox.DaemonNamespace+")")
	cmd.MarkFlagsMutuallyExclusive("dir", "containerd")
	return cmd
}

func runSandboxServe(ctx context.Context, stdout io.Writer, opts sandboxServeOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	opts.Serve.Ready = func(addr string) {
		fmt.Fprintf(stdout, "drill sandbox: listening on http://%s (fix: %s); ctrl+c to stop\n", addr, opts.Serve.Fixes)
	}
	if err := sandbox.Serve(ctx, opts.Serve); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "drill sandbox: stopped after %s\n", time.Since(start).Round(time.Second))
	return nil
}
