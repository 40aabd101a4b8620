package duckdb

import "strings"

// The writers record their committed changes in the catalog with these methods.

// change applies a committed change to the catalog: fn edits the dataset's record, created when missing.
func (cat *catalog) change(dataset string, fn func(d *datasetCatalog, version uint64)) {
	cat.edit(dataset, true, fn)
}

// edit is change; without create, a dataset the catalog does not know is left unrecorded and fn not called.
func (cat *catalog) edit(dataset string, create bool, fn func(d *datasetCatalog, version uint64)) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	if !cat.loaded {
		return
	}
	key := strings.ToLower(dataset)
	d := cat.datasets[key]
	if d == nil && !create {
		return
	}
	cat.version++
	if d == nil {
		d = &datasetCatalog{name: dataset, entries: map[string]*entry{}, families: map[string]*family{}, orphans: map[string]bool{}}
		cat.datasets[key] = d
	}
	fn(d, cat.version)
}

// unshard removes a name from its family, if it is a shard; a family without shards is gone.
func (d *datasetCatalog) unshard(name string) {
	e := d.entries[strings.ToLower(name)]
	if e == nil || e.kind != shardView {
		return
	}
	fk := strings.ToLower(e.family)
	if f := d.families[fk]; f != nil {
		delete(f.shards, e.shard)
		if len(f.shards) == 0 {
			delete(d.families, fk)
		}
	}
}

// setTable records a table of its own (or a view) named name, with its columns (nil: not known) and rows
// (-1: not known).
func (cat *catalog) setTable(dataset, name string, k kind, cols []column, rows int64) {
	cat.change(dataset, func(d *datasetCatalog, v uint64) {
		d.unshard(name)
		d.entries[strings.ToLower(name)] = &entry{dataset: d.name, name: name, kind: k, columns: cols, rows: rows, version: v}
	})
}

// setShard records the shard of a family stored under name, with its rows (-1: not known). The family's
// columns replace those recorded (a family re-created with other columns).
func (cat *catalog) setShard(dataset, name, familyName string, cols []column, shard string, rows int64) {
	cat.change(dataset, func(d *datasetCatalog, v uint64) {
		d.unshard(name)
		fk := strings.ToLower(familyName)
		f := d.families[fk]
		if f == nil || !sameColumns(f.columns, cols) {
			shards := map[string]bool{}
			if f != nil {
				shards = f.shards
			}
			f = &family{name: familyName, columns: cols, shards: shards}
			d.families[fk] = f
		}
		f.shards[shard] = true
		delete(d.orphans, strings.ToLower(name))
		d.entries[strings.ToLower(name)] = &entry{dataset: d.name, name: name, kind: shardView, columns: f.columns,
			family: f.name, shard: shard, rows: rows, version: v}
	})
}

// remove records that a name is gone. It records nothing of a dataset the catalog does not know: dropping a
// table of a missing dataset does not create the dataset.
func (cat *catalog) remove(dataset, name string) {
	cat.edit(dataset, false, func(d *datasetCatalog, _ uint64) {
		d.unshard(name)
		delete(d.entries, strings.ToLower(name))
	})
}

// addDataset records a dataset's schema.
func (cat *catalog) addDataset(dataset string) {
	cat.change(dataset, func(*datasetCatalog, uint64) {})
}
