package infra

import (
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/vertex"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// endpoint creates the Vertex AI endpoint the model is deployed to, with MODEL_ENDPOINT_ID as its id, so the
// functions' configuration names it before it exists. An empty endpoint costs nothing; the model service
// deploys the model on it when a date needs predictions.
func (s *stack) endpoint() error {
	cfg := s.d.Cfg
	_, err := vertex.NewAiEndpoint(s.ctx, "model-endpoint", &vertex.AiEndpointArgs{
		Project:     pulumi.String(cfg.ModelGCPProject),
		Location:    pulumi.String(cfg.ModelRegion),
		Region:      pulumi.String(cfg.ModelRegion),
		Name:        pulumi.String(cfg.ModelEndpointID),
		DisplayName: pulumi.String(s.n.Of("model")),
		Description: pulumi.String("pltv " + s.n.Deployment + ": the lifetime-value model, deployed on demand"),
		Labels:      s.labels(),
	}, s.opts()...)
	return err
}
