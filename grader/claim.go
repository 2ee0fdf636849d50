package grader

import (
	"errors"
	"fmt"
)

// ErrClaim is the class of a claim that cannot be taken.
var ErrClaim = errors.New("claim refused")

// Sentences returns the answer's sentences as the grader splits them, numbered
// from 1 in the order given: the numbers a learner claims a point with.
func Sentences(answer string) []string {
	var out []string
	for _, u := range splitUnits(answer) {
		out = append(out, u.text)
	}
	return out
}

// Claim records the learner's word that sentence n (from 1) of the answer states
// the missed point id: the habit of honest self-rating, kept honest by a quote.
// The point becomes "claimed" (self-assessed, shown apart from a grader hit) and
// the score is derived again. Only a missed point can be claimed: a point the
// answer denies is not stated by another of its sentences.
func Claim(r *Result, answer, id string, n int) error {
	sents := Sentences(answer)
	if n < 1 || n > len(sents) {
		return fmt.Errorf("%w: sentence %d does not exist, the answer has %d", ErrClaim, n, len(sents))
	}
	for i, p := range r.Points {
		if p.ID != id {
			continue
		}
		if p.Status != StatusMissed {
			return fmt.Errorf("%w: point %q is %s, only a missed point can be claimed", ErrClaim, id, p.Status)
		}
		r.Points[i].Status, r.Points[i].Hit, r.Points[i].Source = StatusClaimed, true, "self"
		r.Points[i].Evidence = sents[n-1]
		Score(r)
		return nil
	}
	var ids []string
	for _, p := range r.Points {
		ids = append(ids, p.ID)
	}
	return fmt.Errorf("%w: no rubric point %q (the points are %v)", ErrClaim, id, ids)
}
