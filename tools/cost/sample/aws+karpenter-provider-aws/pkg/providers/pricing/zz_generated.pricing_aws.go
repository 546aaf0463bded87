// Excerpt of pkg/providers/pricing/zz_generated.pricing_aws.go, written by tools/cost/generate.ts --write-sample.
// Its prices were generated at 2026-07-20T13:44:30Z
package pricing

var excerpt = map[string]map[string]float64{
	"us-east-1": {
		"m5.2xlarge": 0.384,
		"m5.large": 0.096,
		"m5.xlarge": 0.192,
		"m5a.2xlarge": 0.344,
		"m5a.large": 0.086,
		"m5a.xlarge": 0.172,
		"m6a.2xlarge": 0.3456,
		"m6a.large": 0.0864,
		"m6a.xlarge": 0.1728,
		"m6i.2xlarge": 0.384,
		"m6i.large": 0.096,
		"m6i.xlarge": 0.192,
		"m7i.2xlarge": 0.4032,
		"m7i.large": 0.1008,
		"m7i.xlarge": 0.2016,
	},
}
