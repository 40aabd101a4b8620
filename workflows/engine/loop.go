package engine

import (
	"context"
	"math"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// iteration is what a for loop goes through: the items of a list, or the numbers of a range.
type iteration struct {
	list  []any
	n     int
	start any // int64 or float64 for a range
}

func (it iteration) item(i int) any {
	if it.list != nil {
		return it.list[i]
	}
	switch s := it.start.(type) {
	case int64:
		return s + int64(i)
	case float64:
		return s + float64(i)
	}
	return nil
}

func (f *frame) loopItems(ctx context.Context, sc *scope, loop *forSpec) (iteration, error) {
	e := &env{f: f, sc: sc}
	if loop.in != nil {
		v, err := loop.in.eval(ctx, e)
		if err != nil {
			return iteration{}, err
		}
		list, ok := v.([]any)
		if !ok {
			return iteration{}, value.TypeErrorf("for: in must be a list, got %s", value.TypeName(v))
		}
		return iteration{list: list, n: len(list)}, nil
	}
	v, err := loop.rng.eval(ctx, e)
	if err != nil {
		return iteration{}, err
	}
	bounds, ok := v.([]any)
	if !ok || len(bounds) != 2 || !value.IsNumber(bounds[0]) || !value.IsNumber(bounds[1]) {
		return iteration{}, value.TypeErrorf("for: range must be a list of two numbers, got %s", value.TypeName(v))
	}
	lo, loInt := bounds[0].(int64)
	hi, hiInt := bounds[1].(int64)
	if loInt && hiInt {
		if hi < lo {
			return iteration{start: lo}, nil
		}
		if hi-lo >= math.MaxInt32 {
			return iteration{}, value.Errorf(value.ResourceLimitError, "for: range of %d values is too long", hi-lo+1)
		}
		return iteration{start: lo, n: int(hi-lo) + 1}, nil
	}
	flo, _ := value.ToFloat(bounds[0])
	fhi, _ := value.ToFloat(bounds[1])
	if fhi < flo {
		return iteration{start: flo}, nil
	}
	if fhi-flo >= math.MaxInt32 {
		return iteration{}, value.Errorf(value.ResourceLimitError, "for: range is too long")
	}
	return iteration{start: flo, n: int(math.Floor(fhi-flo)) + 1}, nil
}

func (f *frame) runFor(ctx context.Context, sc *scope, s *step) (control, error) {
	loop := s.loop
	items, err := f.loopItems(ctx, sc, loop)
	if err != nil {
		return control{}, err
	}
	for i := 0; i < items.n; i++ {
		it := newScope(sc, nil)
		it.vars[loop.value] = items.item(i)
		if loop.index != "" {
			it.vars[loop.index] = int64(i)
		}
		ctl, err := f.runBlock(ctx, it, loop.body, "")
		if err != nil {
			return control{}, err
		}
		switch ctl.kind {
		case ctlBreak:
			return control{}, nil
		case ctlNone, ctlContinue:
		default:
			return ctl, nil
		}
	}
	return control{}, nil
}
