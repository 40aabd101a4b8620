package router_test

import "github.com/pltv/pltv/warehouse"

func mustRef(dataset, table string) warehouse.Ref {
	return warehouse.Ref{Dataset: dataset, Table: table}
}
