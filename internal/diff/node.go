package diff

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/auth0api"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

//go:embed runner.js
var runnerJS []byte

// writeRunner writes runner.js, with the api description it builds its api
// objects from, into dir and returns runner.js's path.
func writeRunner(dir string) (string, error) {
	files := map[string][]byte{"runner.js": runnerJS, "auth0api.js": auth0api.JS, "api.json": auth0api.JSON}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, "runner.js"), nil
}

// nodeVersion returns what the Node executable says its version is.
func nodeVersion(ctx context.Context, command string) (string, error) {
	if command == "" {
		return "", errors.New("no Node executable to run the bundles under: install the test Nodes with npm ci (node_modules/node18), or name one")
	}
	out, err := exec.CommandContext(ctx, command, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version (the Node the bundles run under; npm ci installs node_modules/node18 and node22): %w", command, err)
	}
	return "Node " + strings.TrimPrefix(strings.TrimSpace(string(out)), "v"), nil
}

// jsAnswer is what runner.js reports of one execution of a bundle.
type jsAnswer struct {
	Reason   string   `json:"reason"`
	Decision string   `json:"decision"`
	Calls    []jsCall `json:"calls"`
	Error    string   `json:"error"`
}

type jsCall struct {
	Op   string            `json:"op"`
	Args []json.RawMessage `json:"args"`
}

// outcome is the answers of both bundles to one event.
type outcome struct {
	base, head jsAnswer
	same       bool
}

// node runs one action's two bundles, each as its trigger's, under a Node
// executable.
type node struct {
	command, runner   string
	baseTrigger, base string
	headTrigger, head string
}

// run feeds every item of corpus through runner.js and calls each with the
// item and both answers, in corpus order. It stops at the first error: the
// runner's or ctx's.
func (n node) run(ctx context.Context, corpus iter.Seq[item], each func(item, outcome)) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.command, n.runner, n.baseTrigger, n.base, n.headTrigger, n.head)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s (Node, for the bundles): %w", n.command, err)
	}
	sent := make(chan item, 1024)
	fed := make(chan error, 1)
	go func() { fed <- feed(stdin, corpus, sent) }()
	readErr := n.read(stdout, sent, each)
	if readErr != nil {
		cancel() // Node dies, so feed's writes fail and it stops
		for range sent {
		}
	}
	waitErr := cmd.Wait()
	feedErr := <-fed
	if readErr != nil {
		return readErr
	}
	if err := errors.Join(waitErr, feedErr); err != nil {
		return fmt.Errorf("running the bundles of %s under %s (node side): %w\n%s", filepath.Base(n.head), n.command, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// feed writes each item's event, one per line, to w, after sending the item
// on sent; it closes both when done.
func feed(w io.WriteCloser, corpus iter.Seq[item], sent chan<- item) error {
	defer close(sent)
	bw := bufio.NewWriterSize(w, 1<<16)
	for it := range corpus {
		select {
		case sent <- it:
		default: // the reader waits for answers to what is still buffered here
			if err := bw.Flush(); err != nil {
				return errors.Join(err, w.Close())
			}
			sent <- it
		}
		if _, err := bw.Write(append(it.raw, '\n')); err != nil {
			return errors.Join(err, w.Close())
		}
	}
	return errors.Join(bw.Flush(), w.Close())
}

// read reads one answer line per item sent, in order, and calls each. On
// an error it returns at once; the caller stops Node and drains sent.
func (n node) read(r io.Reader, sent <-chan item, each func(item, outcome)) error {
	s := bufio.NewScanner(r)
	s.Buffer(nil, 64<<20)
	for it := range sent {
		if !s.Scan() {
			return errors.Join(s.Err(), io.ErrUnexpectedEOF)
		}
		o, err := parseOutcome(s.Bytes())
		if err != nil {
			return fmt.Errorf("runner.js answered %q: %w", s.Text(), err)
		}
		each(it, o)
	}
	return nil
}

// parseOutcome reads one line of runner.js.
func parseOutcome(line []byte) (outcome, error) {
	switch {
	case bytes.HasPrefix(line, []byte("=")):
		var a jsAnswer
		err := json.Unmarshal(line[1:], &a)
		return outcome{base: a, head: a, same: true}, err
	case bytes.HasPrefix(line, []byte("!")):
		var both struct{ Base, Head jsAnswer }
		err := json.Unmarshal(line[1:], &both)
		return outcome{base: both.Base, head: both.Head}, err
	}
	return outcome{}, errors.New("neither = nor !")
}

// calls returns the answer's calls as abi values: a string, number, boolean
// or null argument as itself, an object or array as its kind (event.ValueOf).
func (a jsAnswer) calls() []abi.Call {
	out := make([]abi.Call, len(a.Calls))
	for i, c := range a.Calls {
		out[i] = abi.Call{Op: c.Op, Args: make([]abi.Value, len(c.Args))}
		for j, raw := range c.Args {
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				out[i].Args[j] = abi.KindValue(abi.Other)
				continue
			}
			out[i].Args[j] = event.ValueOf(v)
		}
	}
	return out
}
