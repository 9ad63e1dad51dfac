package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPublishWithoutABuild: publish says to build first.
func TestPublishWithoutABuild(t *testing.T) {
	_, err := runCmd(t, "publish", "-dir", t.TempDir())
	assert.ErrorContains(t, err, "run make wasm")
}
