package embedded

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/pltv/pltv/tracking"
)

// matches applies a query's filters, and leaves out documents without the ordered field.
func matches(fields tracking.Fields, q tracking.Query) bool {
	if q.OrderBy != "" {
		if _, ok := fields[q.OrderBy]; !ok {
			return false
		}
	}
	for _, f := range q.Filters {
		v, ok := fields[f.Field]
		if !ok {
			return false
		}
		want, err := normalize(f.Value)
		if err != nil || class(v) != class(want) {
			return false // like Firestore, a filter matches values of its own type only
		}
		c := compare(v, want)
		var keep bool
		switch f.Op {
		case tracking.OpEq:
			keep = c == 0
		case tracking.OpLt:
			keep = c < 0
		case tracking.OpLe:
			keep = c <= 0
		case tracking.OpGt:
			keep = c > 0
		case tracking.OpGe:
			keep = c >= 0
		}
		if !keep {
			return false
		}
	}
	return true
}

// sortDocs orders documents like Firestore: by the ordered field (values of different types in Firestore's
// type order), then by id, both descending with Desc.
func sortDocs(docs []tracking.Doc, q tracking.Query) {
	slices.SortStableFunc(docs, func(a, b tracking.Doc) int {
		c := 0
		if q.OrderBy != "" {
			c = compare(a.Fields[q.OrderBy], b.Fields[q.OrderBy])
		}
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		if q.Desc {
			return -c
		}
		return c
	})
}

// class ranks value types in Firestore's order: null, boolean, number, timestamp, string, bytes, array, map.
func class(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64:
		return 2
	case time.Time:
		return 3
	case string:
		return 4
	case []byte:
		return 5
	case []any:
		return 6
	default:
		return 7
	}
}

// compare orders two normalised values.
func compare(a, b any) int {
	if c := cmp.Compare(class(a), class(b)); c != 0 {
		return c
	}
	switch a := a.(type) {
	case bool:
		switch b := b.(bool); {
		case a == b:
			return 0
		case !a:
			return -1
		}
		return 1
	case int64, float64:
		x, y := number(a), number(b)
		if ai, ok := a.(int64); ok {
			if bi, ok := b.(int64); ok {
				return cmp.Compare(ai, bi)
			}
		}
		return cmp.Compare(x, y)
	case time.Time:
		return a.Compare(b.(time.Time))
	case string:
		return strings.Compare(a, b.(string))
	case []byte:
		return bytes.Compare(a, b.([]byte))
	case []any:
		b := b.([]any)
		for i := range min(len(a), len(b)) {
			if c := compare(a[i], b[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a), len(b))
	}
	if reflect.DeepEqual(a, b) {
		return 0
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) // maps: any stable order will do
}

func number(v any) float64 {
	if i, ok := v.(int64); ok {
		return float64(i)
	}
	return v.(float64)
}
