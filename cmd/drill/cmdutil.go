package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/exercises"
)

// addModuleFlag adds --module to cmd; checkModule validates what was given.
func addModuleFlag(cmd *cobra.Command, dst *string, usage string) {
	cmd.Flags().StringVar(dst, "module", "", usage+": "+strings.Join(exercises.ModuleNames(), ", "))
}

// checkModule accepts "" (every module) or one of the module names.
func checkModule(v string) error {
	if v != "" && !exercises.IsModule(v) {
		return usageError{fmt.Errorf("--module %q is not one of %s", v, strings.Join(exercises.ModuleNames(), ", "))}
	}
	return nil
}

// addJSONFlag adds --json; its output goes through writeJSON.
func addJSONFlag(cmd *cobra.Command, dst *bool, usage string) {
	cmd.Flags().BoolVar(dst, "json", false, usage)
}

// writeJSON is every command's --json output: indented, one value, a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
