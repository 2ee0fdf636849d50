package lab

import (
	"bufio"
	"errors"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The lab's go.mod pins every module at the version drill's own go.mod
// selects, and its go.sum holds drill's hashes, so the lab builds from the
// module cache drill was built with. After a dependency bump, copy the new
// versions and go.sum lines into workspace/go.mod.txt and go.sum.txt.
func TestWorkspaceModulePinsDrillsVersions(t *testing.T) {
	drill := requires(t, "../../go.mod")
	labMods := requires(t, "workspace/go.mod.txt")
	if len(labMods) == 0 {
		t.Fatal("the lab's go.mod requires nothing")
	}
	for path, v := range labMods {
		if drill[path] != v {
			t.Errorf("lab requires %s %s, drill uses %q", path, v, drill[path])
		}
	}
	for _, m := range []string{"github.com/containerd/containerd/v2", "go.etcd.io/bbolt", "github.com/containerd/errdefs"} {
		if labMods[m] == "" {
			t.Errorf("lab's go.mod does not pin %s", m)
		}
	}
	sums := lines(t, "../../go.sum")
	for l := range lines(t, "workspace/go.sum.txt") {
		if !sums[l] {
			t.Errorf("lab go.sum line not in drill's go.sum: %s", l)
		}
	}
}

func requires(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "require (":
			in = true
		case l == ")":
			in = false
		case in:
			if fs := strings.Fields(l); len(fs) >= 2 {
				out[fs[0]] = fs[1]
			}
		}
	}
	return out
}

func lines(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		out[l] = true
	}
	return out
}

// The Go files the lab writes are gofmt-clean: the learner starts from
// code as tidy as drill's own.
func TestWorkspaceGoFilesAreFormatted(t *testing.T) {
	for _, name := range []string{"workspace/transfer.go.txt", "workspace/lab_test.go.txt", "workspace/solution.go.txt"} {
		src := template(name)
		got, err := format.Source(src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if string(got) != string(src) {
			t.Errorf("%s is not gofmt-clean", name)
		}
	}
}

func TestVerifyRefusesAnEditedHarnessAndRestoreKeepsTheLearnersFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	if err := Init(dir); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir); err != nil {
		t.Fatalf("fresh lab: %v", err)
	}
	mine := []byte("package transfer // mine\n")
	if err := os.WriteFile(filepath.Join(dir, "transfer.go"), mine, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir); err != nil {
		t.Fatalf("editing transfer.go is the point: %v", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "lab_test.go"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n// skip the hard parts\n")
	f.Close()
	err = Verify(dir)
	if !errors.Is(err, ErrEdited) || !strings.Contains(err.Error(), "lab_test.go was edited") {
		t.Fatalf("edited harness: %v", err)
	}
	if err := Init(dir); err == nil {
		t.Fatal("init over an existing lab succeeded")
	}
	if err := Restore(dir); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir); err != nil {
		t.Fatalf("after restore: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "transfer.go")); string(got) != string(mine) {
		t.Fatalf("restore touched transfer.go: %q", got)
	}
}

// parse turns go test -json into properties: a test whose only failure is
// the race detector's counts as holding, and the race goes to no-race.
func TestParseSeparatesRacesFromProperties(t *testing.T) {
	out := strings.Join([]string{
		`{"Action":"run","Test":"TestImportStoresTheBlob"}`,
		`{"Action":"pass","Test":"TestImportStoresTheBlob"}`,
		`{"Action":"run","Test":"TestConcurrentImportersNeverShareAWriter"}`,
		`{"Action":"output","Test":"TestConcurrentImportersNeverShareAWriter","Output":"==================\n"}`,
		`{"Action":"output","Test":"TestConcurrentImportersNeverShareAWriter","Output":"WARNING: DATA RACE\n"}`,
		`{"Action":"output","Test":"TestConcurrentImportersNeverShareAWriter","Output":"Write at 0x00c000 by goroutine 7:\n"}`,
		`{"Action":"output","Test":"TestConcurrentImportersNeverShareAWriter","Output":"  drill-lab.(*TransferService).Import()\n"}`,
		`{"Action":"output","Test":"TestConcurrentImportersNeverShareAWriter","Output":"      /tmp/x/transfer.go:42 +0x1\n"}`,
		`{"Action":"output","Test":"TestConcurrentImportersNeverShareAWriter","Output":"==================\n"}`,
		`{"Action":"output","Test":"TestConcurrentImportersNeverShareAWriter","Output":"    testing.go:1712: race detected during execution of test\n"}`,
		`{"Action":"fail","Test":"TestConcurrentImportersNeverShareAWriter"}`,
		`{"Action":"run","Test":"TestBlobSurvivesImmediateGC"}`,
		`{"Action":"output","Test":"TestBlobSurvivesImmediateGC","Output":"    lab_test.go:528: 5 imports left the blob out:\n"}`,
		`{"Action":"output","Test":"TestBlobSurvivesImmediateGC","Output":"             5× lone importer\n"}`,
		`{"Action":"fail","Test":"TestBlobSurvivesImmediateGC"}`,
	}, "\n")
	rep := parse(strings.NewReader(out))
	got := map[string]*Property{}
	for _, p := range rep.Properties {
		got[p.ID] = p
	}
	if !got["stores"].Passed || !got["no-shared-writer"].Passed {
		t.Errorf("stores %+v, no-shared-writer %+v: want both holding", got["stores"], got["no-shared-writer"])
	}
	if got["no-race"].Passed || rep.Races != 1 {
		t.Errorf("no-race %+v, races %d", got["no-race"], rep.Races)
	}
	race := strings.Join(got["no-race"].Failure, "\n")
	if !strings.Contains(race, "transfer.go:42") || !strings.Contains(race, "Write at") {
		t.Errorf("race excerpt %q", race)
	}
	gc := got["survives-gc"]
	if gc.Passed || len(gc.Failure) != 2 || gc.Failure[0] != "5 imports left the blob out:" || gc.Failure[1] != "  5× lone importer" {
		t.Errorf("survives-gc %+v", gc)
	}
	if got["cancel"].Passed || got["cancel"].Ran {
		t.Errorf("cancel never ran, yet %+v", got["cancel"])
	}
	if rep.Passed() {
		t.Error("report passed")
	}
}
