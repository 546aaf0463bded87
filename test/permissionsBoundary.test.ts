// iam.permissionsBoundaryArn: validated before anything is registered, and carried by every role the
// program creates, the cluster's service role included.
import { strict as assert } from "assert";
import { ConfigError } from "../config";
import { listStacks } from "../tools/harness/render";
import { ofType, oneOfType, parseStackWith, renderNamedStack, renderStackWith } from "./support";

const BOUNDARY = "arn:aws:iam::111122223333:policy/eks-platform-workload-boundary";

function problemsOf(stack: string, iam: Record<string, unknown> | undefined): string[] {
    try {
        // An undefined override deletes the section.
        parseStackWith(stack, { "eks-platform:iam": iam });
        return [];
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.problems.map((p) => `${p.path} = ${JSON.stringify(p.value)}: ${p.message}`);
    }
}

describe("permissions boundary of the platform's roles (eks-platform:iam)", () => {
    for (const stack of ["staging", "prod"]) {
        it(`is required in ${stack}, naming the setting and where its value comes from`, () => {
            assert.deepEqual(problemsOf(stack, undefined), [
                `iam.permissionsBoundaryArn = undefined: is required in ${stack}: its deploy role may create IAM roles only with the workload boundary; set the bootstrap stack's \`workloadBoundaryArn\` output`,
            ]);
        });
    }

    it("is optional in dev", () => {
        assert.deepEqual(problemsOf("dev", undefined), []);
    });

    it("must be a customer managed policy ARN", () => {
        for (const value of [
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "eks-platform-workload-boundary",
            "arn:aws:iam::111122223333:role/eks-platform-x",
        ]) {
            assert.deepEqual(problemsOf("prod", { permissionsBoundaryArn: value }), [
                `iam.permissionsBoundaryArn = ${JSON.stringify(value)}: must be the ARN of a customer managed IAM policy (arn:aws:iam::<account>:policy/<name>)`,
            ]);
        }
    });

    it("must be a policy of the account the stack deploys into", () => {
        const foreign = "arn:aws:iam::444455556666:policy/eks-platform-workload-boundary";
        assert.deepEqual(problemsOf("prod", { permissionsBoundaryArn: foreign }), [
            `iam.permissionsBoundaryArn = ${JSON.stringify(foreign)}: must be a policy of the account the stack deploys into (aws, 111122223333); a role cannot take another account's policy as its boundary`,
        ]);
    });

    for (const stack of listStacks()) {
        it(`${stack}: every role carries it, and eks.Cluster is given the program's service role`, async () => {
            const { resources } = await renderNamedStack(stack);
            const roles = ofType(resources, "aws:iam/role:Role");
            assert.ok(roles.length >= 10, `${stack}: ${roles.length} roles`);
            assert.deepEqual(
                roles.filter((role) => role.props.permissionsBoundary !== BOUNDARY).map((role) => role.name),
                [],
            );
            const serviceRole = oneOfType(resources, "eksplatform:cluster:ClusterServiceRole");
            const [role] = roles.filter((candidate) => candidate.parent === serviceRole.urn);
            const attachment = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find((a) => a.parent === serviceRole.urn);
            assert.equal(attachment?.props.policyArn, "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
            const cluster = oneOfType(resources, "eks:index:Cluster");
            // A resource reference, recorded as the role's URN.
            assert.equal(cluster.props.serviceRole, role.urn);
            assert.ok(attachment && cluster.dependsOn.includes(attachment.urn), "the cluster waits for its role's policy");
        });
    }

    it("unset (a dev stack without the bootstrap), no role has a boundary", async () => {
        const rendered = await renderStackWith("dev", { "eks-platform:iam": undefined });
        const roles = ofType(rendered.resources, "aws:iam/role:Role");
        assert.deepEqual(
            roles.filter((role) => role.props.permissionsBoundary !== undefined).map((role) => role.name),
            [],
        );
    });
});
