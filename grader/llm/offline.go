package llm

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/drill-coach/drill/internal/text"
)

// Advice is one finding of the offline checks.
type Advice struct {
	Check   string `json:"check"` // sentences, length, non-english, misspelling, grammar, filler, repetition
	Message string `json:"message"`
}

// EnableHint says how to turn the LLM on; polish and doctor print it. Polish
// adds CheckHint; doctor does not, since it is the check.
const EnableHint = `To use an LLM, set OPENAI_API_KEY (OpenAI), or OPENAI_BASE_URL for a local
OpenAI-compatible server such as Ollama (http://localhost:11434/v1), vLLM or llama.cpp,
plus DRILL_LLM_MODEL; or put openai_api_key / openai_base_url / llm_model in
$XDG_CONFIG_HOME/drill/config.yaml.`

// CheckHint points from a command that needs the LLM to the one that checks it.
const CheckHint = `Then run 'drill doctor' to check that the endpoint answers.`

// maxSentenceWords is where a spoken sentence gets hard to follow.
const maxSentenceWords = 30

// Advise runs the checks that need no model: sentence count and length,
// non-English text, common misspellings, filler words and repetition. maxSentences
// is the task's limit, 0 for none. Quoted text from the learner is not sanitised
// here; the caller does that when printing.
func Advise(answer string, maxSentences int) []Advice {
	var out []Advice
	sents := text.Sentences(answer)
	msg := plural(len(sents), "sentence")
	if maxSentences > 0 {
		if len(sents) > maxSentences {
			msg += fmt.Sprintf(", over the limit of %d: merge or cut", maxSentences)
		} else {
			msg += fmt.Sprintf(", within the limit of %d", maxSentences)
		}
	}
	out = append(out, Advice{"sentences", msg + "."})
	for _, s := range sents {
		if n := len(words(s)); n > maxSentenceWords {
			out = append(out, Advice{"sentences", fmt.Sprintf("A %d-word sentence is hard to follow when spoken; split it: %q", n, clip(s, 80))})
		}
	}
	if runs := foreignRuns(answer); len(runs) > 0 {
		out = append(out, Advice{"non-english", fmt.Sprintf("Non-English text: %s. Say it in English.", strings.Join(quoteAll(runs), ", "))})
	}
	ws := words(answer)
	seenMis := map[string]bool{}
	for _, w := range ws {
		lw := strings.ToLower(w)
		if fix, ok := misspellings()[lw]; ok && !seenMis[lw] {
			seenMis[lw] = true
			out = append(out, Advice{"misspelling", fmt.Sprintf("%q is spelled %q.", w, fix)})
		}
	}
	// misspell's dictionary (the one golangci-lint's misspell linter uses) adds
	// the common misspellings of general English to the engineering ones above.
	for _, w := range ws {
		if lw := strings.ToLower(w); !seenMis[lw] {
			if fix, ok := dictionaryFix(w); ok {
				seenMis[lw] = true
				out = append(out, Advice{"misspelling", fmt.Sprintf("%q is spelled %q.", w, fix)})
			}
		}
	}
	out = append(out, agreement(answer)...)
	low := " " + strings.ToLower(strings.Join(ws, " ")) + " "
	var fillers []string
	for _, f := range fillerWords() {
		if n := strings.Count(low, " "+f+" "); n > 0 {
			fillers = append(fillers, fmt.Sprintf("%q ×%d", f, n))
		}
	}
	if len(fillers) > 0 {
		out = append(out, Advice{"filler", "Filler words: " + strings.Join(fillers, ", ") + ". Cut them: they make you sound unsure."})
	}
	for i := 1; i < len(ws); i++ {
		if strings.EqualFold(ws[i], ws[i-1]) && unicode.IsLetter([]rune(ws[i])[0]) {
			out = append(out, Advice{"repetition", fmt.Sprintf("Doubled word: %q.", ws[i]+" "+ws[i])})
		}
	}
	count := map[string]int{}
	for _, w := range ws {
		lw := strings.ToLower(w)
		if len([]rune(lw)) >= 5 && !commonWords()[lw] {
			count[lw]++
		}
	}
	var reps []string
	for w, n := range count {
		if n >= 3 && float64(n) >= 0.04*float64(len(ws)) {
			reps = append(reps, fmt.Sprintf("%q ×%d", w, n))
		}
	}
	sort.Strings(reps)
	if len(reps) > 0 {
		out = append(out, Advice{"repetition", "Repeated words: " + strings.Join(reps, ", ") + ". Use a pronoun, a synonym, or merge the sentences."})
	}
	return out
}

//go:generate go run ./internal/genmisspell -o misspell_gen.go

// dictionaryFix looks w up in misspell's dictionary (misspell_gen.go), as
// misspell does: a word in lower case, in title case or all in capitals, and
// the correction in the same case.
func dictionaryFix(w string) (string, bool) {
	lower, title, upper := true, true, true
	for i := 0; i < len(w); i++ {
		c := w[i]
		isUpper, isLower := c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z'
		lower = lower && !isUpper
		upper = upper && !isLower
		title = title && (i == 0 && isUpper || i > 0 && !isUpper)
	}
	if !lower && !title && !upper {
		return "", false
	}
	key := strings.ToLower(w)
	n := len(misspellIndex)
	i := sort.Search(n, func(i int) bool { wrong, _ := misspellPair(i); return wrong >= key })
	if i == n {
		return "", false
	}
	wrong, right := misspellPair(i)
	switch {
	case wrong != key:
		return "", false
	case upper && len(w) > 1:
		return strings.ToUpper(right), true
	case title && !lower:
		return strings.ToUpper(right[:1]) + right[1:], true
	}
	return right, true
}

// misspellPair returns the i-th pair of misspell's dictionary.
func misspellPair(i int) (wrong, right string) {
	end := len(misspellData)
	if i+1 < len(misspellIndex) {
		end = int(misspellIndex[i+1])
	}
	wrong, right, _ = strings.Cut(misspellData[misspellIndex[i]:end-1], "\x00")
	return wrong, right
}

// variantLimits are the sizes the condensed forms of variants ask for: a
// 15-second pitch is at most 3 sentences and about 40 words, a PR comment 3
// lines, a root-cause summary one sentence for each of its 5 parts. 0 is no
// limit.
var variantLimits = map[string]struct{ Sentences, Words int }{
	"pitch15": {3, 40},
	"pr3":     {3, 0},
	"rca":     {5, 0},
}

// AdviseVariant is Advise for a condensed form: it warns when the text is over
// the variant's sentence or word limit.
func AdviseVariant(answer, variant string) []Advice {
	lim := variantLimits[variant]
	out := Advise(answer, lim.Sentences)
	if n := len(words(answer)); lim.Words > 0 && n > lim.Words {
		out = append(out, Advice{"length", fmt.Sprintf("%s, over the %s limit of about %d: cut to the conclusion and one reason.", plural(n, "word"), variant, lim.Words)})
	}
	return out
}

// plural says "1 sentence", "2 sentences".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// words are the learner's words as written (case kept, for quoting), split by
// the same tokenizer that the grader and the editor's counter use.
func words(s string) []string {
	toks := text.Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// foreignRuns returns runs of letters outside the Latin script (Chinese, Japanese,
// Korean, Cyrillic...), which an English answer should not contain.
func foreignRuns(s string) []string {
	var runs []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, strings.TrimSpace(string(cur)))
			cur = nil
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r):
			cur = append(cur, r)
		case len(cur) > 0 && (unicode.IsPunct(r) || r == ' ') && !unicode.Is(unicode.Latin, r):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	if len(runs) > 5 {
		runs = append(runs[:5], "…")
	}
	return runs
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", clip(s, 40))
	}
	return out
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

var fillerWords = sync.OnceValue(func() []string {
	return []string{"basically", "actually", "literally", "honestly", "really", "very", "just",
		"kind of", "sort of", "you know", "i mean", "like i said", "so yeah", "um", "uh", "at the end of the day"}
})

// misspellings are common ones in engineering English.
var misspellings = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"recieve": "receive", "recieved": "received", "occured": "occurred", "occurence": "occurrence",
		"seperate": "separate", "dependancy": "dependency", "dependancies": "dependencies",
		"enviroment": "environment", "consistant": "consistent", "existant": "existent",
		"garantee": "guarantee", "gaurantee": "guarantee", "threshhold": "threshold", "persistant": "persistent",
		"latancy": "latency", "concurency": "concurrency", "asynchronus": "asynchronous", "definately": "definitely",
		"wich": "which", "thier": "their", "untill": "until", "accross": "across", "begining": "beginning",
		"commited": "committed", "comitted": "committed", "reponse": "response", "responce": "response",
		"sucess": "success", "succesful": "successful", "successfull": "successful", "adress": "address",
		"lenght": "length", "retreive": "retrieve", "refered": "referred", "prefered": "preferred",
		"transfered": "transferred", "resouce": "resource", "memroy": "memory", "perfomance": "performance",
		"performence": "performance", "comparision": "comparison", "arguement": "argument",
		"neccessary": "necessary", "necesary": "necessary", "independant": "independent",
		"maintainance": "maintenance", "maintenence": "maintenance", "paralell": "parallel",
		"parrallel": "parallel", "proccess": "process", "relevent": "relevant", "sheduler": "scheduler",
		"truely": "truly", "usefull": "useful", "writting": "writing", "immediatly": "immediately",
		"basicly": "basically", "finaly": "finally", "explaination": "explanation",
		"implmentation": "implementation", "intial": "initial", "similiar": "similar", "sytem": "system",
		"teh": "the", "alot": "a lot", "recieving": "receiving", "excution": "execution",
		"cach": "cache", "acheive": "achieve", "availible": "available", "avaliable": "available",
		"enviroments": "environments", "occuring": "occurring",
		"bandwith": "bandwidth", "throughtput": "throughput", "scalibility": "scalability",
	}
})

// commonWords are frequent words whose repetition is normal.
var commonWords = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"there": true, "their": true, "which": true, "would": true, "could": true, "should": true,
		"about": true, "because": true, "after": true, "before": true, "these": true, "those": true,
		"where": true, "while": true, "other": true, "first": true, "being": true, "since": true,
	}
})
