package sandbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/containerd/errdefs"
)

// Failure classes of an import. Each failing import wraps exactly one of
// them next to containerd's own error, so callers can ask both "which part
// of the design failed" (errors.Is(err, ErrCommitFailed)) and "what did
// containerd say" (errdefs.IsFailedPrecondition(err)).
var (
	// ErrCommitFailed: containerd refused to commit the writer. With a shared
	// writer this is a size or digest mismatch, or a commit on a writer that
	// another importer already committed or closed.
	ErrCommitFailed = errors.New("commit failed")
	// ErrWriteFailed: writing into the writer failed, typically because
	// another importer closed the shared writer's file underneath.
	ErrWriteFailed = errors.New("write failed")
	// ErrBlobCollected: the blob was committed but garbage collection removed
	// it before the importer used it (the GC window).
	ErrBlobCollected = errors.New("blob collected before use")
	// ErrImporterPanic: the importer panicked inside containerd's writer
	// (its state torn by a concurrent importer) and was recovered.
	ErrImporterPanic = errors.New("importer panicked")
	// ErrImporterHung: the importer did not return before the trial's
	// watchdog; on a daemon, a reply on a write stream shared by two
	// importers can be taken by the wrong one, leaving the other waiting.
	ErrImporterHung = errors.New("importer hung")
	// ErrContentMismatch: concurrent importers of one ref sent different
	// bytes; the ref names one blob, so the later one is refused.
	ErrContentMismatch = errors.New("content differs from concurrent import of the same ref")
)

// importError carries a class and the underlying (usually containerd's)
// error; its text is the message the learner sees in logs.
type importError struct {
	class error
	msg   string
	err   error
}

func (e *importError) Error() string   { return e.msg }
func (e *importError) Unwrap() []error { return []error{e.class, e.err} }

func commitError(ref string, err error) error {
	return &importError{class: ErrCommitFailed, err: err,
		msg: fmt.Sprintf("failed to commit writer for ref %s: %v", ref, err)}
}

func writeError(ref string, err error) error {
	return &importError{class: ErrWriteFailed, err: err,
		msg: fmt.Sprintf("failed to write blob for ref %s: %v", ref, err)}
}

func collectedError(dgst string, err error) error {
	return &importError{class: ErrBlobCollected, err: err,
		msg: fmt.Sprintf("blob %s gone before use: %v", dgst, err)}
}

// panicError is a recovered importer panic; it is an internal error in
// errdefs terms and ErrImporterPanic in ours.
type panicError struct {
	value any
	stack string
}

func (e *panicError) Error() string { return fmt.Sprintf("importer panicked: %v", e.value) }
func (e *panicError) Unwrap() []error {
	return []error{ErrImporterPanic, errdefs.ErrInternal}
}

// hungError is an importer the watchdog gave up on.
type hungError struct{ why string }

func (e *hungError) Error() string {
	return "importer hung: " + e.why + "; left behind by the watchdog"
}
func (e *hungError) Unwrap() []error { return []error{ErrImporterHung, context.DeadlineExceeded} }

// Class names an import error's failure class for reports: "commit",
// "write", "gc", "panic", "hung", "mismatch" or "other".
func Class(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrImporterHung):
		return "hung"
	case errors.Is(err, ErrImporterPanic):
		return "panic"
	case errors.Is(err, ErrCommitFailed):
		return "commit"
	case errors.Is(err, ErrWriteFailed):
		return "write"
	case errors.Is(err, ErrBlobCollected):
		return "gc"
	case errors.Is(err, ErrContentMismatch):
		return "mismatch"
	default:
		return "other"
	}
}

// errdefsClass names containerd's error class, for JSON replies.
func errdefsClass(err error) string {
	switch {
	case err == nil:
		return ""
	case errdefs.IsInvalidArgument(err):
		return "invalid_argument"
	case errdefs.IsNotFound(err):
		return "not_found"
	case errdefs.IsAlreadyExists(err):
		return "already_exists"
	case errdefs.IsFailedPrecondition(err):
		return "failed_precondition"
	case errdefs.IsUnavailable(err):
		return "unavailable"
	case errdefs.IsResourceExhausted(err):
		return "resource_exhausted"
	case errdefs.IsCanceled(err):
		return "canceled"
	case errdefs.IsDeadlineExceeded(err):
		return "deadline_exceeded"
	case errdefs.IsInternal(err):
		return "internal"
	default:
		return "unknown"
	}
}
