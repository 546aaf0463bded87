// Entry point of the CrossGuard pack for `pulumi preview --policy-pack policy-pack`.
// Constructing the PolicyPack starts the policy server, so nothing else may import this file;
// the offline path (evaluate.ts) uses the same `policies` list directly. Each rule picks the settings
// of the stack's environment (lib/environments.ts), so one pack enabled for the whole organization
// gives every stack its own environment's verdicts.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";
import { PolicyConfigChecker, serveWithConfigCheck } from "./lib/config-check";
import { enginePoliciesOf } from "./lib/engine";

const served = policies.flatMap(enginePoliciesOf);

// Configure is checked against exactly the policies the server serves, advisory twins included.
serveWithConfigCheck(new PolicyConfigChecker(served.map((policy) => ({ name: policy.name, settings: policy.configSchema?.properties }))), () => {
    new PolicyPack("eks-platform-guardrails", {
        description: "Guardrails for the Amazon EKS platform: control plane, nodes, network, storage, logging, IAM and workloads.",
        provider: "aws",
        policies: served,
    });
});
