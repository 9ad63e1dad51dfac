package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Formats Write knows.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
)

// Write writes r to w in format: FormatText (a table per action for a
// terminal), FormatMarkdown (for a pull-request comment, examples folded)
// or FormatJSON.
func Write(w io.Writer, r Report, format string) error {
	switch format {
	case FormatText:
		return writeText(w, r)
	case FormatMarkdown:
		return writeMarkdown(w, r)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return fmt.Errorf("unknown format %q: want %s, %s or %s", format, FormatText, FormatMarkdown, FormatJSON)
}

// guardsNote says which calls are guarded.
const guardsNote = "each contract's Guarded, and access.deny"

// headline is the first line of every format.
func (r Report) headline() string {
	return "base " + r.Base.Rev + " (" + short(r.Base.Commit) + ") → the working tree: bundles built with " + r.Compiler + ", run under " + r.Node
}

// verdict is the last line of every format.
func (r Report) verdict() string {
	if r.Weakenings == 0 {
		return "no change weakens a guarded call (" + guardsNote + ")"
	}
	return strconv.Itoa(r.Weakenings) + " change(s) WEAKEN the policy: a guarded call (" + guardsNote + ") is no longer made"
}

// summary is one line on an action: its status and corpus.
func (ar ActionReport) summary() string {
	switch ar.Status {
	case StatusUnchanged:
		return "unchanged (the same bundle bytes; not run)"
	case StatusAdded, StatusRemoved:
		return ar.Status
	}
	s := fmt.Sprintf("%d transition(s) in %d events (%s)", len(ar.Transitions), ar.total(), ar.corpusText())
	if n := ar.weakenings(); n > 0 {
		s += fmt.Sprintf(", %d WEAKEN", n)
	}
	return s
}

func (ar ActionReport) total() int {
	n := 0
	for _, c := range ar.Events {
		n += c
	}
	return n
}

// corpusText says how many events each corpus gave and how the generated
// one was made.
func (ar ActionReport) corpusText() string {
	parts := []string{}
	for _, c := range Corpora {
		if n := ar.Events[c]; n > 0 || c != CorpusEvents {
			parts = append(parts, strconv.Itoa(n)+" "+c)
		}
	}
	s := strings.Join(parts, ", ")
	g := ar.Generated
	if g == nil {
		return s
	}
	s += fmt.Sprintf("; generated from %s combinations of %d values at %d paths, %d of them constants of the code", g.Combination, g.Values, g.Paths, g.Constants)
	switch {
	case g.Sampled && g.Contexts > 0:
		s += fmt.Sprintf(", sampled: each value at each path in %d of the cases' contexts (of %d answers), the rest at random", g.Contexts, g.Groups)
		if g.Contexts < g.Groups {
			s += fmt.Sprintf("; not every value met every answer: -cap %d would place each in one of each", g.Values*g.Groups)
		}
	case g.Sampled:
		s += ", sampled: the cap is too small to place every value at every path once (raise -cap)"
	}
	return s
}

// countsText shows a transition's counts, corpus by corpus.
func (t Transition) countsText() string {
	parts := []string{}
	for _, c := range Corpora {
		if t.Counts[c] > 0 {
			parts = append(parts, strconv.Itoa(t.Counts[c])+" "+c)
		}
	}
	return strings.Join(parts, ", ")
}

func (a Answer) String() string {
	calls := "no calls"
	if len(a.Calls) > 0 {
		calls = strings.Join(a.Calls, ", ")
	}
	return a.Reason + " (" + calls + ")"
}

// fieldsText shows the example's fields, each passed through escape, joined
// by sep.
func (e Example) fieldsText(sep string, escape func(string) string) string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = escape(f.Path + " = " + f.Value)
	}
	return strings.Join(parts, sep)
}

func (e Example) source() string {
	if e.Label == "" {
		return e.Corpus
	}
	return e.Corpus + " " + e.Label
}

func short(commit string) string { return commit[:min(12, len(commit))] }

func writeText(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, r.headline())
	for _, ar := range r.Actions {
		fmt.Fprintf(tw, "\n%s: %s\n", ar.Action, ar.summary())
		for _, c := range ar.Contract {
			fmt.Fprintf(tw, "  contract%s: %s\n", weakTag(c.Weakens, " WEAKENS"), c.What)
		}
		if len(ar.Transitions) > 0 {
			fmt.Fprintln(tw, "  \tcount\tfrom (base)\tto (working tree)")
		}
		for _, t := range ar.Transitions {
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\n", weakTag(t.Weakens, "WEAKENS"), t.Total(), t.From, t.To)
			fmt.Fprintf(tw, "  \t\t  %s; e.g. %s: %s\n", t.countsText(), t.Example.source(), t.Example.fieldsText(", ", plain))
		}
	}
	fmt.Fprintf(tw, "\n%s\n", r.verdict())
	return tw.Flush()
}

func plain(s string) string { return s }

func weakTag(weakens bool, tag string) string {
	if weakens {
		return tag
	}
	return ""
}

func writeMarkdown(w io.Writer, r Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### actions diff\n\n%s\n", r.headline())
	for _, ar := range r.Actions {
		fmt.Fprintf(&b, "\n#### `%s`: %s\n", ar.Action, ar.summary())
		if len(ar.Contract)+len(ar.Transitions) > 0 {
			b.WriteString("\n")
		}
		for _, c := range ar.Contract {
			fmt.Fprintf(&b, "- contract%s: %s\n", weakTag(c.Weakens, " **weakens**"), mdEscape(c.What))
		}
		if len(ar.Contract) > 0 && len(ar.Transitions) > 0 {
			b.WriteString("\n")
		}
		writeMarkdownTable(&b, ar.Transitions)
	}
	fmt.Fprintf(&b, "\n**%s**\n", r.verdict())
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownTable(b *strings.Builder, ts []Transition) {
	if len(ts) == 0 {
		return
	}
	b.WriteString("| | from (base) | to (working tree) | events | example |\n|---|---|---|---|---|\n")
	for _, t := range ts {
		fmt.Fprintf(b, "| %s | %s | %s | %s | <details><summary>%s</summary>%s</details> |\n",
			weakTag(t.Weakens, "**weakens**"), mdEscape(t.From.String()), mdEscape(t.To.String()), t.countsText(),
			mdEscape(t.Example.source()), t.Example.fieldsText("<br>", mdEscape))
	}
}

// mdEscape keeps text from breaking a table cell or turning into markup.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`").Replace(s)
}
