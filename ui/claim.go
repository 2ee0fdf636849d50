package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/store"
)

// claimPicker walks the learner through a claim: first the missed point,
// then the sentence of their answer that states it.
type claimPicker struct {
	step   int // 0 inactive, 1 picking the point, 2 picking the sentence
	cursor int
	points []grader.PointResult // the missed points
	point  grader.PointResult
	sents  []string
}

func (p *claimPicker) active() bool { return p.step > 0 }

func (f *feedbackModel) startClaim() navigation {
	if !f.canClaim() {
		return say("Nothing to claim: no point of the rubric is missed.")
	}
	p := claimPicker{step: 1}
	for _, pt := range f.result.Points {
		if pt.Status == grader.StatusMissed {
			p.points = append(p.points, pt)
		}
	}
	p.sents = grader.Sentences(f.answer)
	f.claim = p
	return say("Which missed point does your answer state? ↑/↓ then enter; esc cancels.")
}

func (f *feedbackModel) claimKey(msg tea.KeyPressMsg) (tea.Cmd, navigation) {
	k, p := f.c.keys, &f.claim
	n := len(p.points)
	if p.step == 2 {
		n = len(p.sents)
	}
	switch {
	case key.Matches(msg, k.Back):
		f.claim = claimPicker{}
		return nil, say("No claim made.")
	case key.Matches(msg, k.Up):
		p.cursor = (p.cursor + n - 1) % n
	case key.Matches(msg, k.Down):
		p.cursor = (p.cursor + 1) % n
	case key.Matches(msg, k.Pick):
		if p.step == 1 {
			p.point, p.step, p.cursor = p.points[p.cursor], 2, 0
			return nil, say("Which sentence of your answer states it? ↑/↓ then enter; esc cancels.")
		}
		return f.makeClaim(p.point.ID, p.cursor+1)
	}
	return nil, navigation{}
}

// makeClaim marks the point as stated by sentence n, derives the grade again
// and stores it with the attempt, rescheduling the task's review.
func (f *feedbackModel) makeClaim(id string, n int) (tea.Cmd, navigation) {
	f.claim = claimPicker{}
	res := *f.result
	res.Points = append([]grader.PointResult(nil), f.result.Points...)
	if err := grader.Claim(&res, f.answer, id, n); err != nil {
		return nil, say(err.Error())
	}
	f.result = &res
	if s, ok := f.day.today[practice.Key(f.ex.ID, f.t.ID)]; !ok || res.Score > s {
		f.day.today[practice.Key(f.ex.ID, f.t.ID)] = res.Score
	}
	f.refresh()
	a := modules.AttemptFrom(f.ex.Module, f.answer, &res)
	if f.attemptID == 0 {
		// Still being recorded: the claim is stored once the attempt is.
		f.pending = a
		return nil, say("Saving the claim…")
	}
	return f.regrade(a), say("Saving the claim…")
}

// regrade stores a claimed grade on the recorded attempt.
func (f *feedbackModel) regrade(a *store.Attempt) tea.Cmd {
	a.ID = f.attemptID
	regrade, seq, score := f.c.deps.Practice.Regrade, f.seq, a.Score
	ctx := context.WithoutCancel(f.ctx)
	return func() tea.Msg {
		return regradedMsg{seq: seq, score: score, err: regrade(ctx, a)}
	}
}

// claimView lists the choices of the current step, the cursor's line marked.
func (f *feedbackModel) claimView(height int) string {
	st, p := f.c.st, f.claim
	w := max(20, f.c.width)
	var lines []string
	var items []string
	if p.step == 1 {
		lines = append(lines, "Missed points of the rubric:", "")
		for _, pt := range p.points {
			items = append(items, sanitize.Text(pt.Concept))
		}
	} else {
		lines = append(lines, "Point: "+sanitize.Text(p.point.Concept), "", "Your sentences:", "")
		for i, s := range p.sents {
			items = append(items, fmt.Sprintf("%d. %s", i+1, strings.Join(strings.Fields(sanitize.Text(s)), " ")))
		}
	}
	for i, it := range items {
		mark := "  "
		if i == p.cursor {
			mark = st.Key.Render("> ")
		}
		lines = append(lines, truncate(mark+it, w))
	}
	lines = append(lines, "", st.Subtle.Render("A claimed point counts as self-assessed and is shown apart from the grader's hits."))
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
