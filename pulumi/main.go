// Command pulumi is the Pulumi program that provisions pltv on Google Cloud (Pulumi.yaml at the module root
// names it): `pulumi up` reads the deployment's pltv.yaml and creates everything package infra describes.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/pulumi/infra"
)

func main() {
	pulumi.Run(infra.Program)
}
