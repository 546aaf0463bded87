import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../tools/harness/render";
import { classify } from "../tools/cost/rules";
import type { PlanDocument } from "../tools/plan/document";
import { planInProcess } from "./support";

describe("examples/insecure: the deliberately insecure configuration", () => {
    let document: PlanDocument;
    let status: number | null;

    before(async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "insecure-")), "plan.json");
        const result = await planInProcess("--config", path.join(ROOT, "examples", "insecure", "Pulumi.insecure.yaml"), "--json", out);
        status = result.status;
        assert.ok(fs.existsSync(out), result.stderr);
        document = JSON.parse(fs.readFileSync(out, "utf8"));
    });

    it("fails the plan (exit 1), rendered as its own project", () => {
        assert.equal(status, 1);
        assert.equal(document.project, "insecure-example");
    });

    it("is costed: every resource type priced or free with a reason, the cluster and the file system priced", () => {
        assert.deepEqual(
            document.resources.map((r) => r.type).filter((type) => classify(type).kind === "unknown"),
            [],
        );
        assert.deepEqual(document.cost?.byResource.map((r) => r.type).sort(), ["aws:efs/fileSystem:FileSystem", "aws:eks/cluster:Cluster"]);
        assert.deepEqual(document.cost?.unpriced, []);
    });

    const mandatory = (policy: string) => document.violations.filter((v) => v.policy === policy && v.enforcementLevel === "mandatory");

    for (const [what, policy, control] of [
        ["a public endpoint open to 0.0.0.0/0", "eks-public-endpoint-restricted", "CKV_AWS_38"],
        ["IMDSv1 on the nodes", "launch-template-imdsv2", "CKV_AWS_79"],
        ["an unencrypted node volume", "launch-template-encrypted-volumes", undefined],
        ["an unencrypted EFS file system", "efs-encrypted-with-customer-key", "CKV_AWS_42"],
        ["an unencrypted EBS StorageClass", "storage-class-encrypted-gp3", undefined],
        ["a privileged workload", "pss-privileged", "CKV_K8S_16"],
        ["a host-network workload", "pss-host-namespaces", "CKV_K8S_19"],
    ] as const) {
        it(`reports ${what} as mandatory (${policy})`, () => {
            const found = mandatory(policy);
            assert.equal(found.length, 1, JSON.stringify(document.violations.map((v) => v.policy)));
            if (control) {
                assert.ok(found[0].controls.includes(control), `${policy} controls ${found[0].controls.join(", ")}`);
            }
            assert.ok(found[0].urn && document.resources.some((r) => r.urn === found[0].urn), "the violation names a planned resource");
        });
    }
});
