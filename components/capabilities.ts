import { clusterSection, coreDnsCapability } from "./cluster/capability";
import { computeSection } from "./compute/capability";
import { costSection } from "./cost/capability";
import { fargateCapability } from "./fargate/capability";
import { loadBalancerControllerCapability } from "./loadBalancerController/capability";
import { gitopsCapability } from "./gitops/capability";
import { iamSection } from "./iam/capability";
import { loggingCapability } from "./logging/capability";
import { meshCapability } from "./mesh/capability";
import { metricsServerCapability } from "./metricsServer/capability";
import { networkSection } from "./network/capability";
import { storageCapability } from "./storage/capability";

/**
 * The foundations' sections of the stack file. The platform builds these itself, in this order,
 * into the context every add-on receives: the rules of its IAM roles, the network, then the cluster
 * on it, then the node pools.
 */
export const FOUNDATIONS = [iamSection, networkSection, clusterSection, computeSection] as const;

/**
 * The add-ons, deployed in this order once the context exists, each as a child of the platform.
 * A new capability is its folder, one line here and its section in the stack files.
 */
export const ADD_ONS = [
    coreDnsCapability,
    storageCapability,
    loggingCapability,
    metricsServerCapability,
    loadBalancerControllerCapability,
    fargateCapability,
    meshCapability,
    gitopsCapability,
] as const;

/** Sections that deploy nothing and are read by the offline plan: the cost estimate's assumptions and budget. */
export const PLAN_SECTIONS = [costSection] as const;

/** Every section of the stack file, in the order the schema lists them. */
export const SECTIONS = [...FOUNDATIONS, ...ADD_ONS, ...PLAN_SECTIONS] as const;
