import { strict as assert } from "assert";
import * as fs from "fs";
import { parse } from "yaml";
import { policies } from "../evaluate";
import { CATALOG_PATH, FAMILIES, familyOf, findControl, loadCatalog } from "../tools/controls/catalog";
import { coverageOf } from "../tools/controls/coverage";
import { LEFT_OUT, NOT_APPLICABLE } from "../tools/controls/left-out";
import { indentQuotedContinuations, PSS_CONTROL_OF_CHECK } from "../tools/controls/sources";
import { judgedTypes, kubernetesKindOf, serializeCatalog, terraformTypeOf } from "../tools/gen-controls";

/** Controls of frameworks outside the six measured families, named as the rules name them. */
const OTHER_FRAMEWORKS = /^IAM Access Analyzer [A-Z_]+$/;

/** Every family: the pack covers at least 90% of its applicable controls. */
const AT_TARGET = FAMILIES;

describe("control catalog (policy-pack/controls/catalog.json)", () => {
    const catalog = loadCatalog();

    it("has every control a rule claims, as the tool's own source defines it", () => {
        const unknown = policies.flatMap((policy) =>
            policy.controls.filter((claim) => !OTHER_FRAMEWORKS.test(claim) && !findControl(catalog, claim)).map((claim) => `${policy.name}: ${claim}`),
        );
        assert.deepEqual(unknown, []);
    });

    it("records the source of every family: repository, commit and version", () => {
        for (const family of catalog.families) {
            assert.match(family.source.repository, /^github\.com\/[\w-]+\/[\w-]+$/);
            assert.match(family.source.commit, /^[0-9a-f]{40}$/);
            assert.ok(family.source.version.length > 0);
            assert.ok(family.controls.length > 0, `${family.name} has controls`);
        }
    });

    it("knows every resource type the rules judge (regenerate after adding one: npm run -s controls:generate)", () => {
        const known = new Set(catalog.resourceTypes.map((type) => type.pulumi));
        assert.deepEqual(
            judgedTypes().filter((type) => !known.has(type)),
            [],
        );
    });

    it("is in the generator's canonical form, one control per line", () => {
        assert.equal(fs.readFileSync(CATALOG_PATH, "utf8"), serializeCatalog(catalog));
    });

    it("records as not applicable, with its reason, every control a NOT_APPLICABLE pattern matches, and each pattern matches one", () => {
        for (const [family, patterns] of Object.entries(NOT_APPLICABLE)) {
            const controls = catalog.families.find((candidate) => candidate.name === family)?.controls ?? [];
            for (const [pattern, reason] of patterns ?? []) {
                const matched = controls.filter((control) => pattern.test(control.id));
                assert.ok(matched.length > 0, `${family} ${String(pattern)} matches no control`);
                for (const control of matched) {
                    assert.deepEqual([control.applicable, control.reason], [false, reason], `${family} ${control.id}`);
                }
            }
        }
    });

    it("has the Pod Security Standards' controls as the Kubernetes documentation names them, HostProcess and host probes included", () => {
        const pss = catalog.families.find((family) => family.name === "PSS")!;
        assert.deepEqual(pss.controls.map((control) => control.id).sort(), [...new Set(Object.values(PSS_CONTROL_OF_CHECK))].sort());
        assert.ok(pss.controls.some((control) => control.id === "Host Probes / Lifecycle Hooks" && /Kubernetes 1\.34\+/.test(control.title)));
        assert.ok(pss.controls.some((control) => control.id === "HostProcess"));
    });

    it("gives a reason for every control that does not apply", () => {
        for (const family of catalog.families) {
            for (const control of family.controls.filter((candidate) => !candidate.applicable)) {
                assert.ok(control.reason && control.reason.length > 10, `${family.name} ${control.id}`);
            }
        }
    });
});

describe("control coverage", () => {
    const catalog = loadCatalog();
    const coverage = coverageOf(catalog, policies);

    it("leaves out only applicable controls that no rule implements, each with its reason", () => {
        for (const [family, reasons] of Object.entries(LEFT_OUT)) {
            const entry = catalog.families.find((candidate) => candidate.name === family);
            for (const id of Object.keys(reasons ?? {})) {
                const control = entry?.controls.find((candidate) => candidate.id === id);
                assert.ok(control?.applicable, `${family} ${id} is left out but does not apply`);
                assert.ok(!coverage.find((candidate) => candidate.family === family)?.covered.has(id), `${family} ${id} is left out but a rule implements it`);
            }
        }
    });

    for (const family of AT_TARGET) {
        it(`${family}: at least 90% of the applicable controls covered, the rest left out with a reason`, () => {
            const measured = coverage.find((candidate) => candidate.family === family)!;
            assert.ok(measured.covered.size / measured.applicable >= 0.9, `${measured.covered.size} of ${measured.applicable}`);
            assert.deepEqual(
                measured.uncovered.map((control) => control.id),
                [],
            );
        });
    }
});

describe("control catalog generator", () => {
    const known = new Set([
        "aws_security_group",
        "aws_s3_bucket",
        "aws_eks_cluster",
        "aws_iam_role",
        "aws_vpc_security_group_ingress_rule",
        "aws_ec2_transit_gateway",
        "aws_ec2_transit_gateway_vpc_attachment",
        "aws_iam_openid_connect_provider",
    ]);

    it("maps Pulumi AWS tokens to the Terraform types the scanners name", () => {
        assert.equal(terraformTypeOf("aws:ec2/securityGroup:SecurityGroup", known), "aws_security_group");
        assert.equal(terraformTypeOf("aws:s3/bucket:Bucket", known), "aws_s3_bucket");
        assert.equal(terraformTypeOf("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", known), "aws_vpc_security_group_ingress_rule");
        assert.equal(terraformTypeOf("eks:index:Cluster", known), "aws_eks_cluster", "the eks.Cluster component carries an aws.eks.Cluster's inputs");
        assert.equal(terraformTypeOf("aws:ec2/routeTable:RouteTable", known), undefined, "no scanner names it");
        assert.equal(
            terraformTypeOf("aws:ec2transitgateway/transitGateway:TransitGateway", known),
            "aws_ec2_transit_gateway",
            "the resource repeats its module",
        );
        assert.equal(terraformTypeOf("aws:ec2transitgateway/vpcAttachment:VpcAttachment", known), "aws_ec2_transit_gateway_vpc_attachment");
        assert.equal(
            terraformTypeOf("aws:iam/openIdConnectProvider:OpenIdConnectProvider", known),
            "aws_iam_openid_connect_provider",
            "Terraform spells it openid",
        );
    });

    it("maps @pulumi/kubernetes tokens to kinds, Patch variants included, and skips charts", () => {
        assert.equal(kubernetesKindOf("kubernetes:apps/v1:Deployment"), "Deployment");
        assert.equal(kubernetesKindOf("kubernetes:apps/v1:DeploymentPatch"), "Deployment");
        assert.equal(kubernetesKindOf("kubernetes:helm.sh/v4:Chart"), undefined);
    });

    it("reads Checkov's graph-check YAML as PyYAML does, a quoted name continued at its key's indentation included", () => {
        const text = 'metadata:\n  id: "CKV2_K8S_4"\n  name: "Nodes that can modify services/status may\n  launch MiTM attacks."\n  category: "KUBERNETES"\n';
        assert.throws(() => parse(text));
        assert.deepEqual(parse(indentQuotedContinuations(text)), {
            metadata: { id: "CKV2_K8S_4", name: "Nodes that can modify services/status may launch MiTM attacks.", category: "KUBERNETES" },
        });
    });

    it("reads claims in every family's spelling", () => {
        assert.deepEqual(familyOf("AVD-AWS-0040"), { family: "trivy AWS", id: "AWS-0040" });
        assert.deepEqual(familyOf("KSV110"), { family: "trivy Kubernetes", id: "KSV-0110" });
        assert.deepEqual(familyOf("CIS EKS 4.2.1"), { family: "CIS EKS", id: "4.2.1" });
        assert.deepEqual(familyOf("PSS: Host Ports"), { family: "PSS", id: "Host Ports" });
        assert.equal(familyOf("IAM Access Analyzer INVALID_ACTION"), undefined);
    });
});
