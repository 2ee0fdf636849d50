package ui

import (
	"fmt"

	"charm.land/bubbles/v2/viewport"
)

// viewportModel is a scrolling pane that can say where in its text it is.
type viewportModel struct{ viewport.Model }

func newViewport() viewportModel { return viewportModel{viewport.New()} }

// indicator says how far down the pane is, or nothing when all of it shows.
func (v viewportModel) indicator(st styles) string {
	if v.AtTop() && v.AtBottom() {
		return ""
	}
	return st.Subtle.Render(fmt.Sprintf("  %d%%", int(v.ScrollPercent()*100)))
}
