package main

import (
	"encoding/json"
	"testing"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/iostreams"
)

// The practice transcript's exercises, every task of them, are in the bank.
func TestListJSONCoversTheTranscript(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	if err := runList(&listOptions{IO: ios, Bank: func() *exercises.Bank { return exercises.Load() }, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var items []listItem
	if err := json.Unmarshal(out.Bytes(), &items); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	tasks := map[string]map[string]listTask{}
	modules := map[string]int{}
	for _, it := range items {
		modules[it.Module]++
		tasks[it.ID] = map[string]listTask{}
		for _, tk := range it.Tasks {
			tasks[it.ID][tk.ID] = tk
		}
	}
	for _, m := range exercises.ModuleNames() {
		if modules[m] == 0 {
			t.Errorf("no %s exercises in drill list --json", m)
		}
	}
	want := map[string][]string{
		"containerd-commit-writer":              {"opening", "layers", "repro"},
		"transfer-service-get-or-create-writer": {"review", "pr3"},
		"intermittent-import-free-form":         {"free-form"},
		"transfer-service-briefing-points":      {"briefing", "pitch15", "meeting"},
		"blob-ingestion-pipeline":               {"tradeoffs", "recommend"},
		"image-pull-efficiency":                 {"q1", "q2", "cache-invalidation", "tenant-eviction", "security-isolation", "proxy-fault-tolerance"},
	}
	for id, ts := range want {
		if tasks[id] == nil {
			t.Errorf("exercise %s missing", id)
			continue
		}
		for _, tk := range ts {
			if _, ok := tasks[id][tk]; !ok {
				t.Errorf("exercise %s lacks task %s", id, tk)
			}
		}
	}
	if got := tasks["containerd-commit-writer"]["opening"].TimeLimitSeconds; got != 30 {
		t.Errorf("the opening's time limit is %ds, want 30", got)
	}
}
