package modules

import (
	"regexp"
	"strings"
	"testing"
)

// wrongClaims are facts the bank once taught wrongly, each with the primary
// source that corrects it. No prompt, scenario, model answer, concept or hint may
// assert one again (a sentence that denies it is fine: misconceptions and their
// corrections name them on purpose).
var wrongClaims = []struct {
	re     *regexp.Regexp
	source string
}{
	{regexp.MustCompile(`(?i)\b3\s*[×x*]\s*3\s*[×x*]\s*3\b`),
		"\"retry 3 times\" at each of three layers is 4 attempts per layer: 4 × 4 × 4 = 64"},
	{regexp.MustCompile(`(?i)separate sockets?`),
		"man resolv.conf: single-request-reopen uses the same socket and reopens it only when two requests from the same port are mishandled"},
	{regexp.MustCompile(`(?i)page cache[^.。]{0,80}(oom|out of memory|内存不足)`),
		"page cache is reclaimable; the kernel reclaims it before an OOM kill (kubelet-oomkilled-memory-max)"},
	{regexp.MustCompile(`(?i)writeCommit`),
		"containerd v2.4.2 has no writeCommit function"},
	{regexp.MustCompile(`(?i)\b(gc|garbage collect\w*)\b[^.。]{0,80}\b(delet|remov|collect|reclaim|sweep)\w*[^.。]{0,60}(in-flight|in flight|uncommitted|not yet committed|unfinished ingest|mid-ingest)`),
		"containerd v2.4.2 core/metadata: unexpired ingests are GC roots; GC takes committed blobs that nothing references yet"},
	{regexp.MustCompile(`(?i)request[^.。]{0,30}equal[^.。]{0,20}limit[^.。]{0,80}(stopgap|prevent|avoid|stop)[^.。]{0,40}(oom|kill)`),
		"a memory request equal to the limit does not change memory.max; it does not prevent a kill at the limit"},
}

var denial = regexp.MustCompile(`(?i)\b(not|never|no|isn't|doesn't|don't|cannot|can't|without)\b|不是|不会|并非`)

func TestTheBankNoLongerTeachesKnownWrongFacts(t *testing.T) {
	b := bank(t)
	for _, ex := range b.All() {
		texts := []string{ex.ScenarioEN, ex.ScenarioZH}
		for _, task := range ex.AllTasks() {
			texts = append(texts, task.Prompt.EN, task.Prompt.ZH, task.ModelAnswer)
			for _, p := range task.Rubric {
				texts = append(texts, p.Concept, p.Hint)
			}
		}
		for _, text := range texts {
			for _, sentence := range regexp.MustCompile(`[.!?。！？]\s*`).Split(text, -1) {
				for _, w := range wrongClaims {
					if w.re.MatchString(sentence) && !denial.MatchString(sentence) {
						t.Errorf("%s: %q\n\tasserts a corrected fact: %s", ex.ID, strings.TrimSpace(sentence), w.source)
					}
				}
			}
		}
	}
}
