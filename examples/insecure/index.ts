/**
 * The EKS setup the guardrails exist to stop, written the way a hurried team might: raw resources,
 * provider defaults, no platform components. `npm run plan -- --config examples/insecure/Pulumi.insecure.yaml`
 * renders it offline; test/insecure-example.test.ts asserts the mandatory violations it must raise.
 * Never deploy it.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";

const subnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];

// API server open to the internet; no secrets encryption, no control-plane logs, creator admin by default.
new aws.eks.Cluster("insecure", {
    roleArn: "arn:aws:iam::111122223333:role/eks-cluster",
    version: "1.36",
    vpcConfig: { subnetIds, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] },
});

// Nodes with IMDSv1 reachable from pods, an unencrypted root volume and public IPs.
new aws.ec2.LaunchTemplate("nodes", {
    imageId: "ami-0123456789abcdef0",
    instanceType: "m6i.large",
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional", httpPutResponseHopLimit: 2 },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "false" } }],
    networkInterfaces: [{ associatePublicIpAddress: "true" }],
});

// Unencrypted shared storage and an unencrypted default volume class.
new aws.efs.FileSystem("shared", { encrypted: false });
const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
new k8s.storage.v1.StorageClass(
    "fast",
    {
        metadata: { name: "fast", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "false" },
    },
    { provider },
);

// A privileged debugging pod in the default namespace, running an unpinned image as root.
new k8s.core.v1.Pod(
    "debug",
    {
        metadata: { name: "debug", namespace: "default" },
        spec: {
            hostNetwork: true,
            containers: [{ name: "shell", image: "busybox:latest", command: ["sleep", "infinity"], securityContext: { privileged: true } }],
        },
    },
    { provider },
);
