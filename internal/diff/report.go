package diff

// Report is what a diff found, action by action. It is what -format json
// prints.
type Report struct {
	Base     Revision       `json:"base"`
	Head     string         `json:"head"`     // the working tree's folder
	Compiler string         `json:"compiler"` // name and version
	Node     string         `json:"node"`     // the Node the bundles ran under
	Corpus   CorpusInfo     `json:"corpus"`
	Actions  []ActionReport `json:"actions"`
	// Weakenings counts the transitions and contract changes that weaken
	// the policy, over all actions.
	Weakenings int `json:"weakenings"`
}

// Revision is the base: the revision asked for and its commit.
type Revision struct {
	Rev    string `json:"rev"`
	Commit string `json:"commit"`
}

// CorpusInfo says how the corpora were made.
type CorpusInfo struct {
	Cap        int    `json:"cap"`
	Seed       int    `json:"seed"`
	EventsFile string `json:"events_file,omitempty"`
}

// Action statuses.
const (
	StatusUnchanged = "unchanged" // the same bundle bytes: not run
	StatusSame      = "same"      // rebuilt differently, same answers on every event
	StatusChanged   = "changed"   // some event gets another answer
	StatusAdded     = "added"     // only the working tree has it
	StatusRemoved   = "removed"   // only the base has it
)

// ActionReport is one action's changes.
type ActionReport struct {
	Action string `json:"action"`
	Status string `json:"status"`
	// Contract lists the contract's changes; they come first in every
	// format.
	Contract []Change `json:"contract"`
	// Events counts the events run, per corpus; Generated says how the
	// generated corpus was made.
	Events      map[string]int `json:"events"`
	Generated   *GeneratedInfo `json:"generated,omitempty"`
	Transitions []Transition   `json:"transitions"`
}

// GeneratedInfo is the size of the cross product, whether it was sampled
// down to the cap, and, when it was, into how many of the cases' contexts
// each value was placed at each path (0: the cap was too small to place
// every value once).
type GeneratedInfo struct {
	Paths       int    `json:"paths"`
	Values      int    `json:"values"` // (path, value) placements
	Combination string `json:"combinations"`
	Sampled     bool   `json:"sampled"`
	Contexts    int    `json:"contexts,omitempty"`
	// Groups is how many different answers the base gives the cases: a
	// value placed in fewer contexts does not meet every one.
	Groups    int `json:"answer_groups"`
	Constants int `json:"constants"` // constant values read from both sides' code
}

// Change is one change to a contract. Risk marks one a reviewer should
// look at first: a new read of a field the end user sets.
type Change struct {
	What    string `json:"what"`
	Weakens bool   `json:"weakens"`
	Risk    bool   `json:"risk,omitempty"`
}

// Transition is every event whose answer went from From to To.
type Transition struct {
	From    Answer         `json:"from"`
	To      Answer         `json:"to"`
	Counts  map[string]int `json:"counts"` // per corpus
	Weakens bool           `json:"weakens"`
	// Dropped lists the guarded calls From made and To does not.
	Dropped []string `json:"dropped,omitempty"`
	Example Example  `json:"example"`
}

// Total returns the transition's count over every corpus.
func (t Transition) Total() int {
	n := 0
	for _, c := range t.Counts {
		n += c
	}
	return n
}

// Answer is what a bundle did with one event under Node: the reason and
// decision its log line gives, and the api calls it made.
type Answer struct {
	Reason   string   `json:"reason"`
	Decision string   `json:"decision"`
	Calls    []string `json:"calls"`
	// Error is what the handler threw or rejected with (the shim never
	// does); Auth0 fails the flow then.
	Error string `json:"error,omitempty"`
}

// Example is the first event of a transition: its corpus, its label there,
// and the fields the contracts read, secrets masked.
type Example struct {
	Corpus string  `json:"corpus"`
	Label  string  `json:"label,omitempty"`
	Fields []Field `json:"fields"`
}

// Field is one field read and its value as shown.
type Field struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}
