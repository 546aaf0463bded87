import { defineSection } from "../capability";
import { chartImageUses } from "../common/chartImages";
import { IMAGES } from "../versions";
import { computeNames } from "./declaredNames";
import { computeSettingsSchema } from "./settings";
import { validateCompute } from "./validate";

/** eks-platform:compute: node pools and their controllers (a foundation: it yields nodesReady). */
export const computeSection = defineSection({
    key: "compute",
    settings: computeSettingsSchema,
    validate: validateCompute,
    names: computeNames,
    awsServices: (settings) => [
        ...(settings.clusterAutoscaler.enabled
            ? [
                  { service: "autoscaling", reason: "Cluster Autoscaler: reads and resizes the node groups" },
                  { service: "ec2", reason: "Cluster Autoscaler: instance types and launch templates" },
              ]
            : []),
        ...(settings.interruptionHandler.mode === "queue"
            ? [
                  { service: "sqs", reason: "AWS Node Termination Handler: reads the interruption queue" },
                  { service: "autoscaling", reason: "AWS Node Termination Handler: completes lifecycle hooks" },
                  { service: "ec2", reason: "AWS Node Termination Handler: finds the instance an event names" },
              ]
            : []),
        ...(settings.ssmSessionManager
            ? ["ssm", "ssmmessages", "ec2messages"].map((service) => ({ service, reason: "nodes: Session Manager (compute.ssmSessionManager)" }))
            : []),
    ],
    images: (settings) => [
        ...chartImageUses("nodeTerminationHandler", "AWS Node Termination Handler"),
        ...(settings.clusterAutoscaler.enabled ? chartImageUses("clusterAutoscaler", "Cluster Autoscaler") : []),
        ...(settings.nodePools.some((pool) => pool.accelerator === "nvidia") ? chartImageUses("nvidiaDevicePlugin", "NVIDIA device plugin (a GPU pool)") : []),
        ...(settings.sampleWorkload ? [{ repository: IMAGES.sampleWorkload.repository, reason: "the Spot sample workload (compute.sampleWorkload)" }] : []),
    ],
});
