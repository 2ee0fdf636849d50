package main

import (
	"io"

	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

type planItemJSON struct {
	Module   string `json:"module"`
	Exercise string `json:"exercise"`
	Task     string `json:"task"`
	Reason   string `json:"reason"`
}

type planJSON struct {
	Date  string         `json:"date"`
	Items []planItemJSON `json:"items"`
}

func printPlanJSON(w io.Writer, plan *schedule.Plan) error {
	out := planJSON{Date: plan.Date.Format(store.DateLayout), Items: []planItemJSON{}}
	for _, it := range plan.Items {
		for _, t := range it.Exercise.Tasks {
			out.Items = append(out.Items, planItemJSON{Module: it.Module, Exercise: it.Exercise.ID, Task: t.ID, Reason: it.Reason})
		}
	}
	return writeJSON(w, out)
}
