import { createHash } from "crypto";
import { getProject, getStack } from "@pulumi/pulumi";
import { deployRoleName } from "../../../bootstrap/delivery";
import { MOCK_ACCOUNT_ID } from "../awsFacts";
import type { InvokeHandler, OutputBuilder } from "./types";

/** Computed attributes the bootstrap project reads (ARNs AWS assigns on create). */
export const DELIVERY_OUTPUTS: Record<string, OutputBuilder> = {
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (a, c) => ({
        arn: `arn:aws:iam::${c.account}:oidc-provider/${String(a.inputs.url).replace(/^https:\/\//, "")}`,
    }),
    "aws:kms/alias:Alias": (_, c) => ({ arn: `arn:aws:kms:${c.region}:${c.account}:${c.physicalName}` }),
    "aws:codebuild/project:Project": (_, c) => ({ arn: `arn:aws:codebuild:${c.region}:${c.account}:project/${c.physicalName}` }),
    "aws:codeconnections/connection:Connection": (_, c) => ({
        arn: `arn:aws:codeconnections:${c.region}:${c.account}:connection/${c.id}`,
        connectionStatus: "PENDING",
    }),
    "aws:ec2transitgateway/transitGateway:TransitGateway": (_, c) => ({ arn: `arn:aws:ec2:${c.region}:${c.account}:transit-gateway/${c.id}` }),
    "aws:ram/resourceShare:ResourceShare": (_, c) => ({ arn: `arn:aws:ram:${c.region}:${c.account}:resource-share/${c.id}` }),
};

/** A stable numeric GitHub ID for a login or slug, as the API would return. */
function githubId(kind: string, name: string): string {
    return String(parseInt(createHash("sha256").update(`${kind}/${name}`).digest("hex").slice(0, 8), 16));
}

export const DELIVERY_INVOKES: Record<string, InvokeHandler> = {
    // The plan runs as the stack's CI deploy role, which the bootstrap project names after the stack
    // (bootstrap/delivery.ts), as the deploy workflow does; cluster access checks compare it with
    // cluster.adminPrincipals.
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/${deployRoleName(getProject(), getStack())}/session`,
        userId: "AROAEXAMPLE:session",
        id: MOCK_ACCOUNT_ID,
    }),
    // The GitHub lookups of environment reviewers.
    "github:index/getTeam:getTeam": (inputs) => {
        const slug = String(inputs.slug);
        return {
            id: githubId("team", slug),
            slug,
            name: slug,
            nodeId: `T_${slug}`,
            description: "",
            privacy: "closed",
            members: [],
            repositories: [],
            repositoriesDetaileds: [],
        };
    },
    "github:index/getUser:getUser": (inputs) => {
        const username = String(inputs.username);
        return { id: githubId("user", username), username, login: username, nodeId: `U_${username}` };
    },
};
