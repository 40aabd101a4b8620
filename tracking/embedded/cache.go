package embedded

import (
	"bytes"
	"sync"

	"github.com/pltv/pltv/tracking"
)

// maxCached bounds the decoded documents a Store keeps; past it the cache starts over.
const maxCached = 100_000

// decoded caches documents by collection, id and version, so a query decodes only what changed since the
// last one: a poll scans its whole collection. A version is never reused, so entries need no invalidation.
type decoded struct {
	mu   sync.Mutex
	docs map[docKey]cachedDoc
}

type docKey struct{ coll, id string }

type cachedDoc struct {
	version string
	fields  tracking.Fields
}

// doc returns the stored value v of coll/id decoded, from the cache when the version matches. The fields
// are shared with the cache: the caller must clone them (Doc.own) before handing them out.
func (c *decoded) doc(coll, id string, v []byte) (tracking.Doc, error) {
	key, ver := docKey{coll, id}, version(v)
	c.mu.Lock()
	hit, ok := c.docs[key]
	c.mu.Unlock()
	if !ok || hit.version != ver {
		doc, err := decodeDoc(coll, id, v)
		if err != nil {
			return tracking.Doc{}, err
		}
		hit = cachedDoc{version: ver, fields: doc.Fields}
		c.mu.Lock()
		if c.docs == nil || len(c.docs) >= maxCached {
			c.docs = map[docKey]cachedDoc{}
		}
		c.docs[key] = hit
		c.mu.Unlock()
	}
	return tracking.Doc{Collection: coll, ID: id, Fields: hit.fields, Version: ver}, nil
}

// own gives a document read from the cache fields of its own.
func own(d tracking.Doc) tracking.Doc {
	d.Fields = cloneMap(d.Fields)
	return d
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneMap(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneValue(e)
		}
		return out
	case []byte:
		return bytes.Clone(v)
	}
	return v
}
