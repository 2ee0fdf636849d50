package llm

import (
	"fmt"
	"strings"
	"sync"

	"github.com/drill-coach/drill/internal/text"
)

// The agreement checks catch the errors Chinese-speaking writers make most,
// since Chinese marks neither number nor tense on the verb and has no articles.
// Each rule fires only on a narrow pattern, so a correct sentence is left alone:
// a false alarm teaches the wrong thing, a missed error only costs a chance.

// pluralSubjects take "were", never "was".
var pluralSubjects = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"we": true, "they": true, "you": true}
})

// pluralDeterminers make the noun after them plural ("these writers were").
var pluralDeterminers = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"these": true, "those": true, "both": true, "many": true, "several": true}
})

// numberWords above one, for "two importer" → "two importers".
var numberWords = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"two": true, "three": true, "four": true, "five": true, "six": true,
		"seven": true, "eight": true, "nine": true, "ten": true, "twenty": true, "hundred": true, "thousand": true}
})

// countable are singular countable nouns of infrastructure English, with their
// plurals: "there is bug" and "3 node" are errors with these, while uncountable
// nouns (data, memory, traffic) need neither an article nor -s.
var countable = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"bug": "bugs", "importer": "importers", "writer": "writers", "reader": "readers", "node": "nodes",
		"pod": "pods", "container": "containers", "server": "servers", "client": "clients",
		"request": "requests", "process": "processes", "goroutine": "goroutines", "thread": "threads",
		"replica": "replicas", "deadlock": "deadlocks", "leak": "leaks", "timeout": "timeouts",
		"failure": "failures", "error": "errors", "crash": "crashes", "retry": "retries",
		"lock": "locks", "mutex": "mutexes", "queue": "queues", "file": "files", "layer": "layers",
		"image": "images", "snapshot": "snapshots", "cluster": "clusters", "machine": "machines",
		"test": "tests", "problem": "problems", "issue": "issues", "second": "seconds",
		"minute": "minutes", "hour": "hours", "day": "days", "time": "times", "user": "users",
		"service": "services", "connection": "connections", "commit": "commits", "disk": "disks",
		"race": "races", "regression": "regressions", "outage": "outages", "incident": "incidents",
	}
})

// articleFollowers may follow a bare noun after "there is" or "it was" and
// still leave it a whole noun phrase that needs "a"; any other word may begin a
// longer phrase ("it is test data"), so the rule stays quiet.
var articleFollowers = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"in": true, "on": true, "at": true, "of": true, "when": true,
		"because": true, "and": true, "but": true, "so": true, "that": true, "which": true, "with": true,
		"for": true, "from": true, "between": true, "during": true, "under": true, "here": true}
})

// pastOf maps a present verb form to its past, for "yesterday we see" → "saw".
var pastOf = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"see": "saw", "sees": "saw", "find": "found", "finds": "found", "get": "got", "gets": "got",
		"have": "had", "has": "had", "is": "was", "are": "were", "fail": "failed", "fails": "failed",
		"deploy": "deployed", "deploys": "deployed", "run": "ran", "runs": "ran",
		"restart": "restarted", "restarts": "restarted", "notice": "noticed", "notices": "noticed",
		"check": "checked", "checks": "checked", "fix": "fixed", "fixes": "fixed", "go": "went",
		"goes": "went", "do": "did", "does": "did", "make": "made", "makes": "made",
		"take": "took", "takes": "took", "try": "tried", "tries": "tried", "crash": "crashed",
		"crashes": "crashed", "start": "started", "starts": "started", "happen": "happened",
		"happens": "happened", "break": "broke", "breaks": "broke", "roll": "rolled", "rolls": "rolled",
		"debug": "debugged", "debugs": "debugged", "release": "released", "releases": "released",
	}
})

var subjectPronouns = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"i": true, "we": true, "they": true, "he": true, "she": true, "it": true, "you": true}
})

// agreement returns the agreement findings of one text, each once.
func agreement(s string) []Advice {
	var out []Advice
	seen := map[string]bool{}
	add := func(msg string) {
		if !seen[msg] {
			seen[msg] = true
			out = append(out, Advice{"grammar", msg})
		}
	}
	for _, sent := range text.Sentences(s) {
		toks := text.Tokens(sent)
		low := make([]string, len(toks))
		for i, t := range toks {
			low[i] = strings.ToLower(t.Text)
		}
		// spaced reports whether tokens i and i+1 are separate words, not the
		// parts of "lock-free", "it's" or "1.5".
		spaced := func(i int) bool {
			return i+1 < len(toks) && strings.TrimSpace(sent[toks[i].End:toks[i+1].Start]) == ""
		}
		quote := func(i, j int) string { return sent[toks[i].Start:toks[j].End] }

		for i := 0; i+1 < len(toks); i++ {
			w, next := low[i], low[i+1]
			// was after a plural subject.
			if next == "was" && spaced(i) && (pluralSubjects()[w] ||
				i > 0 && spaced(i-1) && (pluralDeterminers()[low[i-1]] || numberWords()[low[i-1]]) && countable()[w] == "" && isPluralOf(w)) {
				add(fmt.Sprintf("%q: a plural subject takes \"were\".", quote(i, i+1)))
			}
			// a number above one before a singular countable noun; not "1.5
			// second" (a decimal), "2-node", "3 node cluster" or "3 node
			// pools" (the noun modifies the next one).
			if plural, ok := countable()[next]; ok && spaced(i) && (numberWords()[w] || isCount(w)) &&
				(i == 0 || spaced(i-1)) &&
				(i+2 >= len(toks) || !strings.HasPrefix(sent[toks[i+1].End:], "-") && !(spaced(i+1) && modifiedNoun(low[i+2]))) {
				add(fmt.Sprintf("%q: after a number above one the noun takes -s: %q.", quote(i, i+1), toks[i].Text+" "+plural))
			}
		}
		// a missing article: "there is bug", "it was race condition".
		for i := 0; i+2 < len(toks); i++ {
			if !(low[i] == "there" || low[i] == "it" || low[i] == "this" || low[i] == "that") ||
				!(low[i+1] == "is" || low[i+1] == "was") || !spaced(i) || !spaced(i+1) {
				continue
			}
			n := i + 2
			if countable()[low[n]] == "" || low[n] == "time" {
				continue // "it is time" needs no article
			}
			if n+1 < len(toks) && countable()[low[n+1]] != "" && spaced(n) {
				n++ // a compound of two listed nouns: "commit writer"
			} else if low[n] == "race" && n+1 < len(toks) && low[n+1] == "condition" && spaced(n) {
				n++
			}
			if n+1 < len(toks) && !(articleFollowers()[low[n+1]] && spaced(n)) {
				continue // more words follow that may make it a different phrase
			}
			add(fmt.Sprintf("%q: a singular noun needs an article: %q.", quote(i, n), quote(i, i+1)+" "+article(low[i+2])+" "+quote(i+2, n)))
		}
		// present tense in a sentence about yesterday.
		if y := indexOf(low, "yesterday"); y >= 0 && !(y+1 < len(toks) && low[y+1] == "s" && !spaced(y)) &&
			indexOf(low, "since") < 0 && indexOf(low, "today") < 0 && indexOf(low, "now") < 0 && indexOf(low, "tomorrow") < 0 {
			for i := 0; i+1 < len(toks); i++ {
				if past, ok := pastOf()[low[i+1]]; ok && subjectPronouns()[low[i]] && spaced(i) {
					add(fmt.Sprintf("%q: yesterday is past, so say %q.", quote(i, i+1), toks[i].Text+" "+past))
				}
			}
		}
	}
	return out
}

// modifiedNoun reports whether w, after "3 node", is a noun that "node" modifies:
// a countable noun or a plural.
func modifiedNoun(w string) bool {
	if countable()[w] != "" {
		return true
	}
	switch w {
	case "is", "was", "has", "does", "this", "us", "as":
		return false
	}
	return strings.HasSuffix(w, "s")
}

// isPluralOf reports whether w is the plural of a countable noun.
func isPluralOf(w string) bool {
	for _, p := range countable() {
		if p == w {
			return true
		}
	}
	return false
}

// isCount is a number written in digits, above one.
func isCount(w string) bool {
	if w == "" || w == "1" || w == "0" {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func article(w string) string {
	if strings.ContainsRune("aeiou", rune(w[0])) {
		return "an"
	}
	return "a"
}

func indexOf(ws []string, w string) int {
	for i, x := range ws {
		if x == w {
			return i
		}
	}
	return -1
}
