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

// TestPublishTakesNoArguments: a stray argument is an error, not ignored.
func TestPublishTakesNoArguments(t *testing.T) {
	_, err := runCmd(t, "publish", "build")
	assert.ErrorContains(t, err, "publish takes no arguments")
}
