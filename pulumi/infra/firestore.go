package infra

import (
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/firestore"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/tracking"
)

// firestore creates the project's Firestore database in native mode (unless pltv:firestore is existing:
// a project has one default database, which two deployments share) and the TTL policy on the deployment's
// processed-events ledger (the field where a lease or the memory of a handled event ends). The TTL field is exempt from indexing, as Google advises for a timestamp every
// write sets.
func (s *stack) firestore() error {
	cfg := s.d.Cfg
	var deps []pulumi.ResourceOption
	if s.d.Firestore == FirestoreCreate {
		db, err := firestore.NewDatabase(s.ctx, "firestore", &firestore.DatabaseArgs{
			Project:        pulumi.String(cfg.DefaultGCPProject),
			Name:           pulumi.String("(default)"),
			LocationId:     pulumi.String(cfg.DefaultGCPRegion),
			Type:           pulumi.String("FIRESTORE_NATIVE"),
			DeletionPolicy: pulumi.String("ABANDON"),
		}, s.opts()...)
		if err != nil {
			return err
		}
		deps = append(deps, pulumi.DependsOn([]pulumi.Resource{db}))
	}
	_, err := firestore.NewField(s.ctx, "ledger-ttl", &firestore.FieldArgs{
		Project:     pulumi.String(cfg.DefaultGCPProject),
		Database:    pulumi.String("(default)"),
		Collection:  pulumi.String(cfg.CollectionName(tracking.KindEvents)),
		Field:       pulumi.String(tracking.EventExpiryField),
		TtlConfig:   &firestore.FieldTtlConfigArgs{},
		IndexConfig: &firestore.FieldIndexConfigArgs{},
	}, s.opts(deps...)...)
	return err
}
