// Package deploytest deploys the build with the real Terraform and the real
// auth0 provider (v1.0.0, from .tools/) against the local Management API
// stand-in (internal/mgmtstub), then runs user journeys under Node 18
// through the code as the stand-in holds it (journeys.js). make deploy-test
// runs it; go test ./... skips it.
package deploytest
