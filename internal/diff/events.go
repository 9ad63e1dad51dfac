package diff

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

// readEvents reads file, one JSON event (an object) per line; blank lines
// are skipped. A line that is not one JSON object stops it with an error
// naming the line: a corpus with lines left out would give counts that look
// complete and are not.
func readEvents(file string) ([]item, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("-events: %w", err)
	}
	s := bufio.NewScanner(bytes.NewReader(data))
	s.Buffer(nil, 2*abi.MaxRequest)
	var items []item
	line := 0
	for s.Scan() {
		line++
		if len(bytes.TrimSpace(s.Bytes())) == 0 {
			continue
		}
		it, err := parsedItem(CorpusEvents, "line "+strconv.Itoa(line), s.Bytes())
		if err == nil {
			if _, ok := it.event.(map[string]any); !ok {
				err = errors.New("not a JSON object")
			}
		}
		if err != nil {
			return nil, fmt.Errorf("-events %s line %d: %w: each line must be one event as a JSON object; fix or remove that line", file, line, err)
		}
		items = append(items, it)
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("-events %s after line %d: %w: each line must be one event as a JSON object", file, line, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("-events %s holds no events: give one JSON event per line, or leave -events out", file)
	}
	return items, nil
}
