package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/iostreams"
)

type exercisesNewOptions struct {
	IO           *iostreams.IOStreams
	ExerciseDirs func() []string
	Bank         func() *exercises.Bank

	Module string
	ID     string
	Title  string
	Force  bool
}

// newExercisesNewCmd is `drill exercises new`, added to the exercises command.
func newExercisesNewCmd(f *Factory) *cobra.Command {
	opts := exercisesNewOptions{IO: f.IO, ExerciseDirs: f.ExerciseDirs, Bank: f.Bank}
	cmd := &cobra.Command{
		Use:   "new --module M [--id ID | --title TITLE] [--force]",
		Short: "Write a commented exercise template into your exercise folder",
		Long: `new writes a complete, valid exercise file into your own exercise folder
(the first --exercises folder, default $XDG_CONFIG_HOME/drill/exercises). Every
field is explained in a comment; replace the example content with your own.
Each module gets a template of its own kind: a debug opening, a code review, a
spoken briefing, a design brief with follow-up rounds.

The file starts as a draft (draft: true): drafts stay out of the daily plan, so
an unedited template never replaces a real exercise. Remove that line when the
exercise is yours, and it joins the daily plan of its module.

new never overwrites a file or reuses an exercise id unless you pass --force.`,
		Example: `  drill exercises new --module debug
  drill exercises new --module design --title "Cache stampede"
  drill exercises new --module design --id cache-stampede --force
  drill exercises validate ~/.config/drill/exercises/cache-stampede.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Module == "" {
				return usageError{fmt.Errorf("--module is required: one of %s", strings.Join(exercises.ModuleNames(), ", "))}
			}
			if !exercises.IsModule(opts.Module) {
				return usageError{fmt.Errorf("--module %q is not one of %s", opts.Module, strings.Join(exercises.ModuleNames(), ", "))}
			}
			if opts.ID != "" && !slugPattern().MatchString(opts.ID) {
				return usageError{fmt.Errorf("--id %q: an id must be lower-case letters, digits and dashes, such as cache-stampede (at most 64 characters)", opts.ID)}
			}
			if err := checkTitle(opts.Title); err != nil {
				return usageError{err}
			}
			return runExercisesNew(&opts)
		},
	}
	cmd.Flags().StringVar(&opts.Module, "module", "", "debug, review, expression or design (required)")
	cmd.Flags().StringVar(&opts.ID, "id", "", "exercise id and file name (default: made from --title, else my-MODULE-exercise)")
	cmd.Flags().StringVar(&opts.Title, "title", "", "the exercise's title, shown in the plan")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite the file, or replace the built-in exercise, that has this id")
	return cmd
}

// slugPattern is what an id may be: the bank's id rule, plus a length limit so
// the id is also a safe file name. It is checked on the flag itself, before the
// id goes anywhere near YAML (where "#..." is a comment) or a path.
var slugPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
})

// maxTitle keeps a title to one line of the plan.
const maxTitle = 120

func checkTitle(title string) error {
	if len([]rune(title)) > maxTitle {
		return fmt.Errorf("--title is %d characters long: keep it to one line of at most %d", len([]rune(title)), maxTitle)
	}
	for _, r := range title {
		if unicode.IsControl(r) {
			return fmt.Errorf("--title %q contains a control character (a line break or an escape): give one line of plain text", title)
		}
	}
	return nil
}

// idFromTitle turns a title into an id: "Cache stampede!" becomes
// "cache-stampede". Only ASCII letters and digits are kept, since the id is also
// the file name and must match slugPattern.
func idFromTitle(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	id := b.String()
	if len(id) > 64 {
		id = strings.TrimRight(id[:64], "-")
	}
	return id
}

// errIDTaken is the class of the error when the id of a new exercise is
// already in use.
var errIDTaken = errors.New("id already in use")

// refusal is an error whose message says what to do instead, and whose class
// (fs.ErrExist, errIDTaken) callers test with errors.Is.
type refusal struct {
	msg   string
	class error
}

func (r refusal) Error() string { return r.msg }
func (r refusal) Unwrap() error { return r.class }

func runExercisesNew(opts *exercisesNewOptions) error {
	dirs := opts.ExerciseDirs()
	if len(dirs) == 0 || dirs[0] == "" {
		return errors.New("no exercise folder: pass --exercises DIR")
	}
	dir := dirs[0]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("exercises new: %w", err)
	}
	id, from := opts.ID, "--id"
	if id == "" && opts.Title != "" {
		id, from = idFromTitle(opts.Title), "--title"
		if id == "" {
			return usageError{fmt.Errorf("--title %q has no ASCII letters or digits to make an id from: pass --id too, such as --id cache-stampede", opts.Title)}
		}
	}
	if id == "" {
		id, from = "my-"+opts.Module+"-exercise", "the default id"
	}
	path := filepath.Join(dir, id+".md")
	// Belt and braces: whatever the id, the file lands inside the folder.
	if rel, err := filepath.Rel(dir, path); err != nil || rel != filepath.Base(path) {
		return usageError{fmt.Errorf("--id %q would write outside %s", id, dir)}
	}
	bank := opts.Bank()
	if err := checkFreeID(bank, id, from, path, opts.Force); err != nil {
		return err
	}
	body := exerciseTemplate(bank, id, opts.Module, opts.Title)
	// The template must be a valid exercise: check it as drill will load it.
	if _, probs := exercises.Parse(path, []byte(body)); len(probs) > 0 {
		return fmt.Errorf("exercises new: the %s template is not valid: %s", opts.Module, probs[0])
	}
	if opts.Force {
		if err := exercises.WriteFileAtomic(path, []byte(body), 0o644); err != nil {
			return fmt.Errorf("exercises new: %w", err)
		}
	} else if err := createNew(path, body); err != nil {
		return err
	}
	if ex := bank.Get(id); ex != nil && !ex.User {
		fmt.Fprintf(opts.IO.ErrOut, "note: your file replaces the built-in exercise %s, which stays out of the daily plan while yours is a draft\n", id)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s\n", path)
	fmt.Fprintf(opts.IO.Out, "it is a draft (draft: true), kept out of the daily plan: replace the example, remove that line,\n")
	fmt.Fprintf(opts.IO.Out, "then check it with: drill exercises validate %s\n", path)
	return nil
}

// checkFreeID refuses an id that is taken, unless force says to take it over:
// a file at path is overwritten, a built-in exercise is replaced by the
// learner's own. An id used by another of the learner's files is refused even
// with force, since two files with one id make both unusable.
func checkFreeID(bank *exercises.Bank, id, from, path string, force bool) error {
	other := "choose another --id or --title"
	if fileExists(path) {
		if force {
			return nil
		}
		return refusal{fmt.Sprintf("%s already exists: edit it, pass --force to overwrite it with a fresh template, or %s", path, other), fs.ErrExist}
	}
	ex := bank.Get(id)
	switch {
	case ex == nil:
		return nil
	case ex.User:
		return refusal{fmt.Sprintf("%s %q is already the id of %s: edit that file, or %s", from, id, ex.File, other), errIDTaken}
	case !force:
		return refusal{fmt.Sprintf("%s %q is the id of a built-in exercise: pass --force to write your own version that replaces it, or %s", from, id, other), errIDTaken}
	}
	return nil
}

// createNew writes a new file, failing if one appeared since the check: it
// never overwrites.
func createNew(path, body string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return refusal{fmt.Sprintf("%s already exists: edit it, pass --force to overwrite it, or choose another --id or --title", path), fs.ErrExist}
	}
	if err != nil {
		return fmt.Errorf("exercises new: %w", err)
	}
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("exercises new: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("exercises new: %w", err)
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// templateHead is the front matter every template shares: it explains each
// field once, in the file where the learner needs it.
const templateHead = `---
# Your own exercise. Every field is explained below; see exercises/FORMAT.md in
# the drill source for the full format. Check it with: drill exercises validate FILE
draft: true                   # a draft stays out of the daily plan: delete this line when the exercise is yours
id: {{ID}}          # lower-case letters, digits, dashes; the file name is up to you
module: {{MODULE}}                 # debug | review | expression | design
title: {{TITLE}}   # one line, shown in the plan
tags: {{TAGS}}  # free words; drill list --tag filters on them
level: 2                      # 1 (warm-up) .. 5 (hardest)
order: {{ORDER}}                      # place in the module's curriculum, lower first: {{ORDERNOTE}}
`

// moduleTemplate is what differs per module: the kind of task, its rubric,
// and the scenario.
type moduleTemplate struct {
	title, tags, rest string
}

var templates = sync.OnceValue(func() map[string]moduleTemplate {
	return map[string]moduleTemplate{
		"debug": {
			title: "Node disk fills up and pods are evicted",
			tags:  "[kubernetes, disk, logs]",
			rest: `tasks:
  - id: opening               # unique inside this exercise
    title: 30-second opening
    time_limit: 60s           # optional: over time is flagged, never cut off
    max_sentences: 5          # optional: more sentences are flagged
    prompt:                   # what the learner is asked, in both languages
      zh: |
        用英文向团队简要说明：发生了什么、你认为的原因、下一步做什么。
      en: |
        Brief the team in English: what happened, what you think the cause is, and what you will do next.
    rubric:                   # the concepts a strong answer states
      - id: symptom           # point ids are shared across exercises: a point
        weight: 2             # missed again and again becomes a weak concept
        concept: Names the symptom precisely — the node's disk fills up and pods get evicted.
        say:                  # ways of saying it: groups joined by " + " must occur
          # in one sentence; "|" separates alternatives; "word*" matches a prefix
          - "disk*|volume|filesystem + full|fill*|pressure|out of space"
          - "pod* + evict*"
        hint: Open with what you observed before any theory.
      - id: next-step
        weight: 1
        concept: Says what happens next — rotate or cap the logs and watch disk usage.
        say:
          - "rotat*|cap*|limit*|clean* + log*"
          - "alert*|watch*|monitor* + disk*|usage"
        hint: End with the concrete next step.
    model_answer: |
      The node's disk is filling up and the kubelet is evicting pods under disk pressure.
      I think container logs are never rotated, so one chatty pod fills the volume.
      Next, I will cap log size in the runtime config and add an alert on disk usage.
---
场景（中文）：凌晨三点，一个节点的磁盘写满，kubelet 开始驱逐 Pod。把这里换成你自己的场景。

<!-- en -->
Scenario (English): at 3 a.m. a node's disk fills up and the kubelet starts evicting pods. Replace this with your own scenario.
`,
		},
		"review": {
			title: "Review: a read-through cache that writes its map outside the lock",
			tags:  "[go, concurrency, cache]",
			rest: `sources:                      # optional for your own exercises: where the facts come from
  - title: "Go FAQ: why are map operations not defined to be atomic?"
    url: https://go.dev/doc/faq#atomic_maps
tasks:
  - id: review                # unique inside this exercise
    title: Review comment
    prompt:                   # what the learner is asked, in both languages
      zh: |
        这段代码给后端加了一层读穿缓存。请写一段英文 code review 评论：感谢作者；编号列出具体问题（风险 → 后果 → 修法），重点是并发；最后邀请讨论。
      en: |
        This change puts a read-through cache in front of a slow backend. Write an English review comment: thank the author, give numbered concrete points (risk → consequence → fix) with the focus on concurrency, and invite discussion.
    rubric:                   # the concepts a strong answer states
      - id: unlocked-map-write   # point ids are shared across exercises: a point
        weight: 3                # missed again and again becomes a weak concept
        concept: The map is written after the mutex is released, so concurrent misses write it at once — a data race that can crash the process; hold the lock for the write.
        say:                  # ways of saying it: groups joined by " + " must occur
          # in one sentence; "|" separates alternatives; "word*" matches a prefix
          - "map|items|write* + after|outside|without|releas*|unlock* + lock*|mutex*|mu"
          - "data race|race + map|items|write*"
        hint: Which line touches c.items after c.mu.Unlock()?
      - id: duplicate-loads
        weight: 2
        concept: Every concurrent miss for one key calls the slow load itself, a stampede on the backend; singleflight collapses them into one load per key.
        say:
          - "miss*|goroutine*|caller*|request* + load*|backend + same key|at once|same time|concurren*|stampede|duplicat*"
          - "singleflight|single flight|one load per key + load*|backend|miss*|caller*|collaps*"
        hint: Ten requests miss the same key at once — how many times is the backend called?
      - id: tone
        weight: 1
        concept: Thanks the author for the change and closes with an offer to discuss.
        say:
          - "thank*|appreciat* + cach*|chang*|pr|work"
          - "happy to + discuss*|pair*|talk*|chat*"
        hint: Open with thanks and close with an invitation; the author should want to reply.
    misconceptions:           # wrong beliefs an interviewer listens for (optional)
      - id: lock-fixes-stampede
        say:
          - "lock*|mutex* + fix*|solv*|prevent* + stampede|duplicate load*|both"
        correction: Holding the lock for the write removes the race, but every concurrent miss still calls the backend; only collapsing the loads per key stops the stampede.
    model_answer: |
      Thanks for adding the cache, it will take real load off the backend.
      1. The map is written after the mutex is released, so two misses can write it at the same time; that is a data race that can crash the process, so please hold the lock for the write.
      2. Concurrent misses for the same key each call the slow load, a stampede on the backend; singleflight would collapse them into one load per key.
      Happy to discuss or pair on it.
---
场景（中文）：一位同事提交了下面的改动，给一个慢的后端加缓存。把这里换成你自己要评审的代码。

` + reviewTemplateCode + `

<!-- en -->
Scenario (English): a colleague sent the change below, a cache in front of a slow backend. Replace this with the code you want to review.

` + reviewTemplateCode + `
`,
		},
		"expression": {
			title: "Tell the staff meeting that the release slips a week",
			tags:  "[briefing, status, release]",
			rest: `tasks:
  - id: briefing              # unique inside this exercise
    title: One-minute briefing
    time_limit: 60s           # optional: over time is flagged, never cut off
    max_sentences: 5          # optional: more sentences are flagged
    prompt:                   # what the learner is asked, in both languages
      zh: |
        用英文在一分钟内向例会说明：变了什么、为什么、你需要大家做什么。
      en: |
        In one minute, tell the staff meeting in English what changed, why, and what you need from them.
    rubric:                   # the concepts a strong answer states
      - id: slip-and-date     # point ids are shared across exercises: a point
        weight: 2             # missed again and again becomes a weak concept
        concept: Leads with the change and the new date — the release moves by one week, to next Thursday.
        say:                  # ways of saying it: groups joined by " + " must occur
          # in one sentence; "|" separates alternatives; "word*" matches a prefix
          - "releas*|launch*|ship* + slip*|delay*|mov*|push* + week|thursday"
        hint: Say the news and the new date first; the reasons come second.
      - id: plain-reason
        weight: 2
        concept: Gives the reason in one plain sentence — the load test caught a memory leak that would crash the service at peak.
        say:
          - "load test*|test* + caught|found|show*|reveal* + leak*|memory"
          - "leak*|memory + crash*|restart*|fall* over|go* down + peak|traffic|load"
        hint: One cause, in words a non-engineer follows.
      - id: clear-ask
        weight: 1
        concept: Ends with one clear ask — two more days of the performance environment.
        say:
          - "need*|ask*|request* + environment|cluster|two days|2 days"
        hint: Close with the one thing you need from the room.
    model_answer: |
      Our release will slip by one week, to next Thursday.
      The load test caught a memory leak in the upload service, and at peak traffic it would crash.
      The fix is small and already in review.
      From you, I need the performance environment for two more days to run the full test again.
---
场景（中文）：本周四的发布有风险：昨天的压测显示上传服务的内存一直涨到重启。修复不大，但再做一次完整压测要五天。把这里换成你自己的场景。

<!-- en -->
Scenario (English): this Thursday's release is at risk. Yesterday's load test showed the upload service's memory growing until it restarts. The fix is small, but another full load test takes five days. Replace this with your own scenario.
`,
		},
		"design": {
			title: "Design brief: a shared dependency cache for CI builds",
			tags:  "[design, caching, ci, capacity]",
			rest: `tasks:
  - id: recommend             # unique inside this exercise
    title: Recommendation with trade-offs
    prompt:                   # what the learner is asked, in both languages
      zh: |
        先用数字说明没有缓存时和有缓存时的流量。再说你会建哪一种：每个 runner 磁盘上各自一份缓存，还是每个区域一份、该区域所有 runner 共用的缓存；从花费、延迟、运维和团队之间的隔离来权衡。最后说明缓存挂掉时构建会怎样，以及你第一步做什么。
      en: |
        Put numbers on the traffic without and with a cache. Then say which you would build, a cache on each runner's disk or one cache per region that all its runners use, and weigh what each costs in money, latency, operations and isolation between teams. Last, say what happens to builds when the cache is down, and what you would do first.
    rubric:                   # the concepts a strong answer states
      - id: traffic-numbers   # point ids are shared across exercises: a point
        weight: 3             # missed again and again becomes a weak concept
        concept: Multiplies it out — 1,200 builds an hour × 2 GB is 2.4 TB an hour, about 670 MB/s; at a 90% hit rate only about 240 GB an hour still reaches the upstream registries.
        say:                  # ways of saying it: groups joined by " + " must occur
          # in one sentence; "|" separates alternatives; "word*" matches a prefix
          - "2.4 + tb|terabyte*"
          - "667|670|0.67 + mb|megabyte*|gb"
          - "240 + gb|gigabyte*"
        hint: Builds an hour times gigabytes a build, then the share the cache keeps away from upstream.
      - id: recommendation
        weight: 3
        concept: Commits to the shared regional cache and says why — runners are short-lived, so local caches start cold and each one fetches the same 2 GB again.
        say:
          - "recommend*|choose|pick|go with + shared|regional|per-region|region"
          - "local|runner* + cold|empty|start* from scratch|short-lived|ephemeral|again|every time"
        hint: Which design does the short life of a runner favour?
      - id: trade-offs
        weight: 2
        concept: Weighs the dimensions — the shared cache costs a few nodes and a little latency per fetch and is one more service to run, and one team's large artifacts can evict everyone else's.
        say:
          - "cost*|latency|complex*|operat* + shared cache|few nodes|cache nodes|more service|one more"
          - "tenant*|team* + evict*|crowd*|quota*"
        hint: Name what the shared cache costs you, not only what it saves.
      - id: fail-open
        weight: 2
        concept: Fails open — when the cache is down, builds fetch from upstream directly, slower but not broken.
        say:
          - "cache + down|fail*|unavailable|outage + upstream|directly|bypass*|fall* back|fail* open"
        hint: A cache outage must not become a build outage.
      - id: first-step
        weight: 1
        concept: Starts small and measures — one region first, watching the hit rate and fetch time before the rest.
        say:
          - "first|start* + one region|pilot|measur*|hit rate"
        hint: What would you ship in the first week, and what number tells you it works?
    misconceptions:           # wrong beliefs an interviewer listens for (optional)
      - id: cache-never-fails
        say:
          - "cache + never|cannot + fail*|go down|be down"
        correction: Every service fails sometimes; a build that cannot run without the cache turns a cache outage into a build outage, so fetches must fall back to upstream.
    model_answer: |
      Without a cache, 1,200 builds an hour times 2 GB is 2.4 TB an hour, about 670 MB/s, and at a 90% hit rate only about 240 GB an hour still reaches the upstream registries.
      I recommend one shared cache service per region, because runners are short-lived and a local cache starts cold, so every runner fetches the same 2 GB again.
      The shared cache costs a few nodes and adds some latency per fetch, and it is one more service to operate, so the operational complexity goes up.
      Tenant isolation matters too, since one team's large artifacts can evict everyone else's, so each team gets a quota.
      When the cache is down, builds fall back to fetching from upstream directly: slower, but not broken.
      I would start with one region and measure the hit rate and fetch time before rolling it out.
    follow_ups:               # deeper rounds an interviewer asks next, each a full task
      - id: ten-times
        title: "Follow-up: ten times the builds"
        prompt:
          zh: |
            追问：一年后每小时有 12,000 次构建。重新估算，哪个部件先撑不住，你会怎么改？
          en: |
            Follow-up: a year later there are 12,000 builds an hour. Re-estimate, say which part gives out first, and what you would change.
        rubric:
          - id: recompute
            weight: 2
            concept: Recomputes — 24 TB an hour, about 6.7 GB/s or some 53 Gbit/s leaving the cache at peak.
            say:
              - "24 + tb|terabyte*"
              - "6.7|6.6|53 + gb|gbit*|gigabit*|gigabyte*"
            hint: "Ten times the builds is ten times the bytes: what is that per second, in bits?"
          - id: network-first
            weight: 2
            concept: The cache nodes' network cards saturate first; shard the cache by content hash across more nodes, or put a replica in each zone.
            say:
              - "network|nic*|bandwidth + saturat*|first|limit*|bottleneck"
              - "shard*|spread*|partition* + hash*|node*|zone*"
            hint: Which resource of a cache node runs out when every byte goes through it?
        model_answer: |
          Ten times the builds is 24 TB an hour, about 6.7 GB/s, or some 53 Gbit/s leaving the cache at peak.
          The network of the cache nodes saturates first, long before disk or memory.
          So I would shard the cache by content hash across more nodes and put a replica in each zone.
      - id: noisy-team
        title: "Follow-up: one team fills the cache"
        prompt:
          zh: |
            追问：一个团队开始缓存 40 GB 的模型文件，其他团队的命中率掉了一半。你怎么办？
          en: |
            Follow-up: one team starts caching 40 GB model files, and every other team's hit rate halves. What do you do?
        rubric:
          - id: per-team-quota
            weight: 2
            concept: Gives each team its own quota or partition of the cache, so one team's files evict only its own.
            say:
              - "quota*|partition*|budget*|limit* + team*|tenant*"
              - "evict* + own|only their|its own"
            hint: Who should pay, in evictions, for one team's big files?
          - id: right-store
            weight: 1
            concept: Moves large, rarely shared files out of the build cache, into an artifact store the team pulls from directly.
            say:
              - "model file*|large file*|40 gb + artifact store|object store|bucket|separate|elsewhere|outside"
            hint: Does a 40 GB file belong in a cache built for shared dependencies?
        model_answer: |
          I would give each team its own quota in the cache, so one team's files evict only its own entries.
          The 40 GB model files belong in a separate artifact store that the team pulls from directly, outside the build cache.
---
场景（中文）：你负责公司 CI 平台的设计评审。需求：构建不能因为缓存出故障而失败；依赖下载的 p95 要低于现在的一半；各团队之间互不影响。规模：高峰每小时 1,200 次构建，每次下载约 2 GB 依赖，其中约 90% 在构建之间是相同的；runner 是用完即销毁的虚拟机，分布在 3 个区域。把这里换成你自己的设计题。

<!-- en -->
Scenario (English): you lead the design review of the company's CI platform. Requirements: no build may fail because a cache is down; the p95 of dependency downloads must drop to half of today's; no team may degrade another team's builds. Scale: 1,200 builds an hour at peak, each downloading about 2 GB of dependencies, about 90% of which is identical across builds; runners are throwaway VMs in 3 regions. Replace this with your own design question.
`,
		},
	}
})

// exerciseTemplate is the template of module's kind, with id and title filled
// in, placed in the curriculum before the module's first exercise in bank: a
// learner writes an exercise to practise it, so once it is no longer a draft it
// is the module's next new one.
func exerciseTemplate(bank *exercises.Bank, id, module, title string) string {
	t := templates()[module]
	if title == "" {
		title = t.title
	}
	order, note := 10, "the built-in exercises of this module are not loaded"
	var first, last *exercises.Exercise
	for _, ex := range bank.Filter(module, "") {
		if ex.Draft || ex.ID == id {
			continue
		}
		if first == nil {
			first = ex
		}
		last = ex
	}
	if first != nil {
		order = first.Order - 1
		note = fmt.Sprintf("this module's exercises run from %d (%s) to %d, so this one comes first", first.Order, first.ID, last.Order)
	}
	return strings.NewReplacer("{{ID}}", id, "{{MODULE}}", module, "{{TITLE}}", strconv.Quote(title), "{{TAGS}}", t.tags,
		"{{ORDER}}", strconv.Itoa(order), "{{ORDERNOTE}}", note).Replace(templateHead) + t.rest
}

// reviewTemplateCode is the review template's snippet, shown under both the
// Chinese and the English scenario.
const reviewTemplateCode = "```go" + `
func (c *Cache) Get(key string) []byte {
	c.mu.Lock()
	v, ok := c.items[key]
	c.mu.Unlock()
	if !ok {
		v = c.load(key) // slow: a call to the backend
		c.items[key] = v
	}
	return v
}
` + "```"
