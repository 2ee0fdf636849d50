package content

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/content/testsuite"
)

// TestContainerdContentSuite runs containerd's own content store conformance
// suite against the instrumented store: the wrapper must not change any of
// containerd's behaviour, only observe it.
func TestContainerdContentSuite(t *testing.T) {
	testsuite.ContentSuite(t, "drill", func(ctx context.Context, root string) (context.Context, content.Store, func() error, error) {
		s, err := Open(ctx, Options{Dir: root})
		if err != nil {
			return nil, nil, nil, err
		}
		// Each sub-test gets its own namespace, as containerd's metadata
		// tests do, so ingests and blobs never leak between them.
		var n atomic.Uint64
		name := testsuite.Name(ctx)
		ctx = testsuite.SetContextWrapper(ctx, func(ctx context.Context, _ bool) (context.Context, func(context.Context) error, error) {
			return WithNamespace(ctx, fmt.Sprintf("%s-n%d", name, n.Add(1))), func(context.Context) error { return nil }, nil
		})
		return ctx, s.Content(), s.Close, nil
	})
}
