package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
)

type listOptions struct {
	IO   *iostreams.IOStreams
	Bank func() *exercises.Bank

	Module string
	Tag    string
	JSON   bool
}

func newListCmd(f *Factory) *cobra.Command {
	opts := listOptions{IO: f.IO, Bank: f.Bank}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the exercises",
		Example: `  drill list
  drill list --module review --tag go
  drill list --json | jq '.[].id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkModule(opts.Module); err != nil {
				return err
			}
			return runList(&opts)
		},
	}
	addModuleFlag(cmd, &opts.Module, "only this module")
	cmd.Flags().StringVar(&opts.Tag, "tag", "", "only exercises with this tag")
	addJSONFlag(cmd, &opts.JSON, "print JSON")
	return cmd
}

type listTask struct {
	ID               string `json:"id"`
	Title            string `json:"title"`
	Kind             string `json:"kind"`
	Parent           string `json:"parent,omitempty"`
	TimeLimitSeconds int    `json:"time_limit_seconds"`
}

type listItem struct {
	ID     string     `json:"id"`
	Module string     `json:"module"`
	Title  string     `json:"title"`
	Level  int        `json:"level"`
	Tags   []string   `json:"tags"`
	User   bool       `json:"user,omitempty"`
	Draft  bool       `json:"draft,omitempty"`
	Tasks  []listTask `json:"tasks"`
}

func runList(opts *listOptions) error {
	exs := opts.Bank().Filter(opts.Module, opts.Tag)
	if opts.JSON {
		items := make([]listItem, 0, len(exs))
		for _, ex := range exs {
			it := listItem{ID: ex.ID, Module: ex.Module, Title: ex.Title, Level: ex.Level, Tags: ex.Tags, User: ex.User, Draft: ex.Draft, Tasks: []listTask{}}
			if it.Tags == nil {
				it.Tags = []string{}
			}
			for _, t := range ex.AllTasks() {
				it.Tasks = append(it.Tasks, listTask{ID: t.ID, Title: t.Title, Kind: t.Kind, Parent: t.Parent, TimeLimitSeconds: t.TimeLimit.Seconds()})
			}
			items = append(items, it)
		}
		return writeJSON(opts.IO.Out, items)
	}
	if len(exs) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "no exercises match")
		return nil
	}
	w := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "MODULE\tID\tLEVEL\tTASKS\tTITLE")
	for _, ex := range exs {
		title := sanitize.Text(ex.Title)
		if ex.Draft {
			title = "(draft, not in the plan) " + title
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\n", ex.Module, ex.ID, ex.Level, len(ex.AllTasks()), title)
	}
	return w.Flush()
}
