import type { InvokeHandler, OutputBuilder } from "./types";

/** A stable 32-digit upper-case hex id per cluster, as EKS uses in endpoint and issuer host names. */
function clusterHexId(seed: string): string {
    let hex = "";
    for (let round = 0; hex.length < 32; round++) {
        const digest = [...`${seed}#${round}`].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 2166136261);
        hex += digest.toString(16).toUpperCase().padStart(8, "0");
    }
    return hex.slice(0, 32);
}

/**
 * eks:index:Cluster is a remote component: under mocks it is one resource with no children, so its
 * outputs are what the real component returns, in the same shapes (eksCluster as the aws.eks.Cluster
 * state the program reads, core.endpoint, kubeconfig for the `aws eks get-token` exec plugin).
 */
const eksCluster: OutputBuilder = (args, context) => {
    const name = context.physicalName;
    // Seeded by the mock ID, which follows replacements: a new cluster has a new endpoint, CA and issuer.
    const hexId = clusterHexId(`${context.account}/${context.region}/${context.id}`);
    const issuerHost = `oidc.eks.${context.region}.amazonaws.com/id/${hexId}`;
    const endpoint = `https://${hexId}.gr7.${context.region}.eks.amazonaws.com`;
    const certificateAuthority = Buffer.from(`-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIB${hexId}\n-----END CERTIFICATE-----\n`).toString("base64");
    const clusterSecurityGroupId = `sg-0${hexId.toLowerCase().slice(0, 16)}`;
    const kubeconfig = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": certificateAuthority } }],
        contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
        "current-context": "aws",
        users: [
            {
                name: "aws",
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", name, "--output", "json"],
                    },
                },
            },
        ],
    };
    return {
        eksCluster: {
            name,
            arn: `arn:aws:eks:${context.region}:${context.account}:cluster/${name}`,
            version: args.inputs.version,
            endpoint,
            certificateAuthority: { data: certificateAuthority },
            identities: [{ oidcs: [{ issuer: `https://${issuerHost}` }] }],
            vpcConfig: { clusterSecurityGroupId },
        },
        core: { endpoint, subnetIds: args.inputs.privateSubnetIds, vpcId: args.inputs.vpcId },
        kubeconfig,
        kubeconfigJson: JSON.stringify(kubeconfig),
        oidcProviderArn: `arn:aws:iam::${context.account}:oidc-provider/${issuerHost}`,
        oidcProviderUrl: `https://${issuerHost}`,
        oidcIssuer: issuerHost,
        // With skipDefaultSecurityGroups both are the security group EKS creates for the cluster.
        clusterSecurityGroupId,
        nodeSecurityGroupId: clusterSecurityGroupId,
        clusterIngressRuleId: "",
        defaultNodeGroupAsgName: "",
        fargateProfileId: "",
        fargateProfileStatus: "",
        autoModeNodeRoleName: "",
        instanceRoles: [],
    };
};

export const CLUSTER_OUTPUTS: Record<string, OutputBuilder> = {
    "eks:index:Cluster": eksCluster,
    "aws:eks/addon:Addon": (args, context) => ({
        arn: `arn:aws:eks:${context.region}:${context.account}:addon/${String(args.inputs.clusterName)}/${String(args.inputs.addonName)}/${context.id}`,
    }),
};

/**
 * What IAM answers for the session of the deploying identity: for an assumed role the role's ARN
 * (the mock's roles have no path), for an IAM user the user itself.
 */
const getSessionContext: InvokeHandler = (inputs) => {
    const arn = String(inputs.arn);
    const assumedRole = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
    if (!assumedRole) {
        return { arn, issuerArn: arn, issuerId: "", issuerName: "", sessionName: "", id: arn };
    }
    const [, partition, account, roleName, sessionName] = assumedRole;
    return {
        arn,
        issuerArn: `arn:${partition}:iam::${account}:role/${roleName}`,
        issuerId: "AROAEXAMPLE",
        issuerName: roleName,
        sessionName,
        id: arn,
    };
};

export const CLUSTER_INVOKES: Record<string, InvokeHandler> = { "aws:iam/getSessionContext:getSessionContext": getSessionContext };
