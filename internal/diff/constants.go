package diff

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"go/constant"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

// constants returns every constant value (string, number, boolean) in the
// packages mains of the module at src and in every package of that module
// they import: named constants, literals and constant expressions as Go
// evaluates them ("a" + "b" gives "ab"), each once, in a fixed order. A
// value the code compares an input with is among them, wherever it is
// written.
func constants(ctx context.Context, src, module string, mains []string) ([]abi.Value, error) {
	cfg := &packages.Config{
		Context: ctx,
		Dir:     src,
		Mode: packages.NeedName | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo |
			packages.NeedImports | packages.NeedDeps,
		Env: append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=-mod=readonly"),
	}
	pkgs, err := packages.Load(cfg, mains...)
	if err != nil {
		return nil, fmt.Errorf("reading the constants of %s: %w", strings.Join(mains, ", "), err)
	}
	seen := map[abi.Value]bool{} // comparable; valueOf gives no NaN
	var errs []error
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			errs = append(errs, e)
		}
		if p.TypesInfo == nil || p.PkgPath != module && !strings.HasPrefix(p.PkgPath, module+"/") {
			return
		}
		for _, tv := range p.TypesInfo.Types {
			if v, ok := valueOf(tv.Value); ok {
				seen[v] = true
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("reading the constants of %s: %w", strings.Join(mains, ", "), err)
	}
	out := slices.SortedFunc(maps.Keys(seen), func(a, b abi.Value) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), strings.Compare(a.Str, b.Str), cmp.Compare(a.Num, b.Num), cmp.Compare(b2i(a.Bool), b2i(b.Bool)))
	})
	return out, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// valueOf returns a Go constant as the value an event field would hold,
// and false for nil and for what no JSON event holds (complex numbers,
// numbers beyond float64's range).
func valueOf(c constant.Value) (abi.Value, bool) {
	if c == nil {
		return abi.Value{}, false
	}
	switch c.Kind() {
	case constant.String:
		return abi.StringValue(constant.StringVal(c)), true
	case constant.Bool:
		return abi.BoolValue(constant.BoolVal(c)), true
	case constant.Int, constant.Float:
		f, _ := constant.Float64Val(constant.ToFloat(c))
		return abi.NumberValue(f), !math.IsInf(f, 0) && !math.IsNaN(f)
	}
	return abi.Value{}, false
}

// jsLiteral matches a JavaScript string literal in single or double quotes
// on one line.
var jsLiteral = regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'`)

// maxLiteral is the longest JavaScript literal taken as a constant, in
// bytes: longer ones are text and data (an embedded module), not values an
// input is compared with.
const maxLiteral = 128

// jsStrings returns the string literals of the JavaScript text js (a
// bundle: the shim as it ships, with its contract), each once, in order.
// A literal whose escapes Go's strconv does not read is left out.
func jsStrings(js []byte) []abi.Value {
	var out []abi.Value
	seen := map[string]bool{}
	for _, lit := range jsLiteral.FindAll(js, -1) {
		if len(lit) > maxLiteral+2 {
			continue
		}
		q := string(lit)
		if q[0] == '\'' {
			q = `"` + strings.ReplaceAll(strings.ReplaceAll(q[1:len(q)-1], `\'`, `'`), `"`, `\"`) + `"`
		}
		s, err := strconv.Unquote(q)
		if err != nil || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, abi.StringValue(s))
	}
	return out
}
