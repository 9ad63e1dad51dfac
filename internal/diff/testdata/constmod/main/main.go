// Command main is the entry of a module whose constants a test reads.
package main

import (
	"strings"

	"example.com/constmod/rules"
)

func main() {
	println(rules.Exempt(strings.ToLower("X")), 3.5)
}
