package modules

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/sanitize"
)

// ExerciseMarkdown is the exercise as Markdown: stable plain text, and the input to
// the terminal renderer. All text from the file is sanitised.
func ExerciseMarkdown(ex *exercises.Exercise, tasks []*exercises.Task, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", sanitize.Text(ex.Title))
	fmt.Fprintf(&b, "id: %s · module: %s · level: %d · tags: %s\n\n", ex.ID, ex.Module, ex.Level, strings.Join(ex.Tags, ", "))
	if sc := ex.Scenario(lang); sc != "" {
		fmt.Fprintf(&b, "%s\n\n", JoinCJKLines(sanitize.Text(sc)))
	}
	for _, t := range tasks {
		b.WriteString(TaskMarkdown(t, lang))
	}
	if len(ex.Sources) > 0 {
		b.WriteString("## Sources\n\n")
		for _, src := range ex.Sources {
			fmt.Fprintf(&b, "- %s: %s\n", sanitize.Text(src.Title), sanitize.Text(src.URL))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TaskMarkdown is one task's heading, limits and prompt.
func TaskMarkdown(t *exercises.Task, lang string) string {
	var b strings.Builder
	kind := ""
	if t.Kind != "task" && t.Kind != "" {
		kind = fmt.Sprintf(" (%s of %s)", t.Kind, t.Parent)
	}
	fmt.Fprintf(&b, "## %s [%s]%s\n\n", sanitize.Text(t.Title), t.ID, kind)
	if lim := Limits(t); lim != "" {
		fmt.Fprintf(&b, "%s\n\n", lim)
	}
	fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(JoinCJKLines(sanitize.Text(t.Prompt.In(lang)))))
	return b.String()
}

// Limits describes a task's limits in one line, or "".
func Limits(t *exercises.Task) string {
	var parts []string
	if s := t.TimeLimit.Seconds(); s > 0 {
		parts = append(parts, fmt.Sprintf("⏱ %ds", s))
	}
	if t.MaxSentences > 0 {
		parts = append(parts, fmt.Sprintf("at most %d sentences", t.MaxSentences))
	}
	if t.MaxWords > 0 {
		parts = append(parts, fmt.Sprintf("at most %d words", t.MaxWords))
	}
	if t.Lang() == "en" {
		parts = append(parts, "answer in English")
	}
	return strings.Join(parts, " · ")
}

// Greeting is the coach's hello for the time of day, as the plain plan and the
// full-screen plan both show it.
func Greeting(now time.Time) string {
	clock := now.Format("15:04")
	switch h := now.Hour(); {
	case h >= 5 && h < 12:
		return "Good morning, it's " + clock + ": a good time to focus."
	case h >= 12 && h < 18:
		return "Good afternoon, it's " + clock + ": time for a focused drill."
	case h >= 18 && h < 23:
		return "Good evening, it's " + clock + ": one calm round before the day ends."
	default:
		return "It's " + clock + ", late: keep it short and get some sleep."
	}
}

// ScoreBar draws score as a bar of width cells.
func ScoreBar(score, width int) string {
	filled := score * width / 100
	return strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
}

// FeedbackMarkdown is the coach's feedback on a graded answer: the score, what is
// wrong (misconceptions and denied points, with corrections), what the answer did
// well (quoted), what is missing with hints, how to say it better, the model
// answer and the next steps. Sections follow the point statuses, so no item
// contradicts another. Every quoted piece of the answer is sanitised.
func FeedbackMarkdown(ex *exercises.Exercise, t *exercises.Task, r *grader.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Score %d/100  %s\n\n", r.Score, ScoreBar(r.Score, 20))
	if r.Coverage != r.Score {
		fmt.Fprintf(&b, "Rubric coverage %d%%, minus %d for form and wrong claims.\n\n", r.Coverage, r.Coverage-r.Score)
	}
	derived := map[string]bool{}
	for _, it := range grader.PointFeedback(r) {
		derived[it.Text] = true
	}
	var wrong, good, claimed, missing, better, next []string
	for _, m := range r.Misconceptions {
		wrong = append(wrong, fmt.Sprintf("“%s” — %s", clipText(m.Evidence, 200), m.Correction))
	}
	for _, p := range r.Points {
		switch p.Status {
		case grader.StatusContradicted:
			wrong = append(wrong, fmt.Sprintf("You denied: “%s” — but: %s %s", clipText(p.Evidence, 200), p.Concept, p.Hint))
		case grader.StatusHit:
			good = append(good, fmt.Sprintf("%s — you said: “%s”", p.Concept, clipText(p.Evidence, 200)))
		case grader.StatusClaimed:
			claimed = append(claimed, fmt.Sprintf("%s — “%s”", p.Concept, clipText(p.Evidence, 200)))
		case grader.StatusMissed:
			missing = append(missing, fmt.Sprintf("%s Hint: %s", p.Concept, p.Hint))
		}
	}
	for _, it := range r.Feedback {
		switch {
		case derived[it.Text]:
		case strings.HasPrefix(it.Text, "Next: "):
			next = append(next, strings.TrimPrefix(it.Text, "Next: "))
		default:
			better = append(better, it.Text)
		}
	}
	section := func(title, mark string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "### %s\n\n", title)
		for _, it := range items {
			fmt.Fprintf(&b, "- %s %s\n", mark, sanitize.Text(it))
		}
		b.WriteString("\n")
	}
	section("What is not right", "⚠️", wrong)
	section("What you did well", "✅", good)
	section("Claimed by you (self-assessed)", "🙋", claimed)
	section("What is missing", "❌", missing)
	section("How to say it better", "👉", better)
	fmt.Fprintf(&b, "### Model answer\n\n%s\n\n", sanitize.Text(r.ModelAnswer))
	section("Next steps", "→", next)
	return b.String()
}

func clipText(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// JoinCJKLines removes the line breaks of hard-wrapped Chinese prose. Markdown
// turns a soft break into a space, which is right between English words and
// wrong between two Han characters ("写入。 请从"); code blocks are left alone.
func JoinCJKLines(md string) string {
	lines := strings.Split(md, "\n")
	var b strings.Builder
	fence := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
		}
		b.WriteString(l)
		if i == len(lines)-1 {
			break
		}
		next := strings.TrimLeft(lines[i+1], " \t")
		if !fence && endsCJK(l) && startsCJK(next) && !strings.HasPrefix(strings.TrimSpace(lines[i+1]), "```") {
			lines[i+1] = next
			continue
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

func endsCJK(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, " \t"))
	return isCJK(r)
}

func startsCJK(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isCJK(r)
}
