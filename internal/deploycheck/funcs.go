package deploycheck

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions returns the Terraform functions the deploy files may call. File
// functions resolve a relative path against dir, as Terraform run in dir
// does.
func functions(dir string) map[string]function.Function {
	return map[string]function.Function{
		"file":         fileFunc(dir),
		"filesha256":   fileSHA256Func(dir),
		"jsondecode":   stdlib.JSONDecodeFunc,
		"jsonencode":   stdlib.JSONEncodeFunc,
		"coalesce":     coalesceFunc,
		"concat":       stdlib.ConcatFunc,
		"contains":     stdlib.ContainsFunc,
		"format":       stdlib.FormatFunc,
		"join":         stdlib.JoinFunc,
		"keys":         stdlib.KeysFunc,
		"length":       stdlib.LengthFunc,
		"lookup":       stdlib.LookupFunc,
		"lower":        stdlib.LowerFunc,
		"merge":        stdlib.MergeFunc,
		"nonsensitive": nonsensitiveFunc,
		"regexall":     stdlib.RegexAllFunc,
		"split":        stdlib.SplitFunc,
		"tolist":       stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":        stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"toset":        stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":     stdlib.MakeToFunc(cty.String),
		"upper":        stdlib.UpperFunc,
		"values":       stdlib.ValuesFunc,
	}
}

// pathParam is the one string parameter of a file function.
var pathParam = []function.Parameter{{Name: "path", Type: cty.String}}

// resolve returns path, relative to dir unless it is absolute.
func resolve(dir, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

// readPathArg reads the file a function's first argument names, relative to
// dir; an error is the argument's.
func readPathArg(dir string, args []cty.Value) ([]byte, error) {
	data, err := os.ReadFile(resolve(dir, args[0].AsString()))
	if err != nil {
		return nil, function.NewArgError(0, err)
	}
	return data, nil
}

// fileFunc is Terraform's file: the file's contents, which must be UTF-8.
func fileFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Params: pathParam,
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			data, err := readPathArg(dir, args)
			if err != nil {
				return cty.NilVal, err
			}
			if !utf8.Valid(data) {
				return cty.NilVal, function.NewArgErrorf(0, "contents of %s are not valid UTF-8", args[0].AsString())
			}
			return cty.StringVal(string(data)), nil
		},
	})
}

// fileSHA256Func is Terraform's filesha256: the hex SHA-256 of the file's
// bytes.
func fileSHA256Func(dir string) function.Function {
	return function.New(&function.Spec{
		Params: pathParam,
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			data, err := readPathArg(dir, args)
			if err != nil {
				return cty.NilVal, err
			}
			sum := sha256.Sum256(data)
			return cty.StringVal(hex.EncodeToString(sum[:])), nil
		},
	})
}

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor, when the arguments are strings, empty. (go-cty's skips only
// nulls.)
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		return stdlib.CoalesceFunc.ReturnType(argTypes(args))
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, v := range args {
			if !v.IsKnown() {
				return cty.UnknownVal(retType), nil
			}
			if v.IsNull() || (retType == cty.String && v.RawEquals(cty.StringVal(""))) {
				continue
			}
			return convert.Convert(v, retType)
		}
		return cty.NilVal, errors.New("no non-null, non-empty-string arguments")
	},
})

// argTypes returns the types of args.
func argTypes(args []cty.Value) []cty.Type {
	types := make([]cty.Type, len(args))
	for i, v := range args {
		types[i] = v.Type()
	}
	return types
}
