import { createHash } from "crypto";
import { registerMockInvoke, registerMockOutputs } from "../mocks";

// Computed attributes the bootstrap project reads (ARNs AWS assigns on create), and the GitHub
// lookups of environment reviewers.
registerMockOutputs("aws:iam/openIdConnectProvider:OpenIdConnectProvider", (a, c) => ({
    arn: `arn:aws:iam::${c.account}:oidc-provider/${String(a.inputs.url).replace(/^https:\/\//, "")}`,
}));
registerMockOutputs("aws:kms/alias:Alias", (a, c) => ({ arn: `arn:aws:kms:${c.region}:${c.account}:${a.inputs.name}` }));
registerMockOutputs("aws:codebuild/project:Project", (a, c) => ({ arn: `arn:aws:codebuild:${c.region}:${c.account}:project/${a.inputs.name ?? a.name}`, name: a.inputs.name ?? a.name }));
registerMockOutputs("aws:codeconnections/connection:Connection", (_, c) => ({
    arn: `arn:aws:codeconnections:${c.region}:${c.account}:connection/${c.id}`,
    connectionStatus: "PENDING",
}));
registerMockOutputs("aws:ec2transitgateway/transitGateway:TransitGateway", (_, c) => ({ arn: `arn:aws:ec2:${c.region}:${c.account}:transit-gateway/${c.id}` }));
registerMockOutputs("aws:ram/resourceShare:ResourceShare", (_, c) => ({ arn: `arn:aws:ram:${c.region}:${c.account}:resource-share/${c.id}` }));

/** A stable numeric GitHub ID for a login or slug, as the API would return. */
function githubId(kind: string, name: string): string {
    return String(parseInt(createHash("sha256").update(`${kind}/${name}`).digest("hex").slice(0, 8), 16));
}

registerMockInvoke("github:index/getTeam:getTeam", (inputs) => {
    const slug = String(inputs.slug);
    return { id: githubId("team", slug), slug, name: slug, nodeId: `T_${slug}`, description: "", privacy: "closed", members: [], repositories: [], repositoriesDetaileds: [] };
});
registerMockInvoke("github:index/getUser:getUser", (inputs) => {
    const username = String(inputs.username);
    return { id: githubId("user", username), username, login: username, nodeId: `U_${username}` };
});
