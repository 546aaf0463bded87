import { stackGuardrail, type ResourceView, type StackView } from "../../lib/policy";
import { stringAt } from "../../lib/values";
import { AUTOSCALING_GROUP, isSpotGroup } from "../../lib/autoscaling";
import { resourcesOfType } from "../../lib/stack";
import { attemptEach, decideEach, type UnknownValueError } from "../../lib/unknown";
import { HELM_TYPES, helmChartName } from "../mesh/app-mesh";
import { STORAGE_CLASS } from "../storage/storage-class";

const ADDON_TYPES = ["aws:eks/addon:Addon", "eks:index:Addon"];

interface InstalledAddOns {
    names: Set<string>;
    /** Set when some add-on or chart name is unknown: a missing name may then be that one. */
    unknownRead?: UnknownValueError;
}

/** Names of the EKS add-ons and Helm charts the stack installs. */
function installedAddOns(stack: StackView): InstalledAddOns {
    const names = new Set<string>();
    const unknownRead = attemptEach(resourcesOfType(stack, ...ADDON_TYPES, ...HELM_TYPES), (resource) => {
        const name: unknown = ADDON_TYPES.includes(resource.type) ? resource.props.addonName : helmChartName(resource);
        if (typeof name === "string") {
            names.add(name);
        }
    });
    return { names, unknownRead };
}

/** Whether one of `names` is installed; undecided (throws) if it may hide behind an unknown name. */
function isInstalled(installed: InstalledAddOns, names: string[]): boolean {
    if (names.some((name) => installed.names.has(name))) {
        return true;
    }
    if (installed.unknownRead) {
        throw installed.unknownRead;
    }
    return false;
}

interface InterruptionHandlerConfig {
    handlerCharts: string[];
}

export const spotInterruptionHandler = stackGuardrail<InterruptionHandlerConfig>({
    name: "spot-interruption-handler",
    description: "A stack with self-managed Spot Auto Scaling groups runs an interruption handler that drains nodes before reclaim.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "Spot operations of this platform; the security benchmarks do not cover it",
    remediation:
        "Install aws-node-termination-handler (queue mode, with the SQS queue and EventBridge rules) or another chart listed in " +
        "handlerCharts. Managed node groups drain Spot nodes themselves and need none.",
    configSchema: {
        handlerCharts: {
            type: "array",
            items: { type: "string" },
            description: "Helm chart names accepted as Spot interruption handlers.",
            default: ["aws-node-termination-handler"],
        },
    },
    validate: (stack, config, report) => {
        const spotGroups: ResourceView[] = [];
        const undecidedGroup = attemptEach(resourcesOfType(stack, AUTOSCALING_GROUP), (group) => {
            if (isSpotGroup(group)) {
                spotGroups.push(group);
            }
        });
        if (spotGroups.length > 0 && !isInstalled(installedAddOns(stack), config.handlerCharts)) {
            for (const group of spotGroups) {
                report(`Spot group without an interruption handler (${config.handlerCharts.join(" or ")}).`, group.urn);
            }
        }
        if (undecidedGroup) {
            throw undecidedGroup;
        }
    },
});

/** CSI driver add-on (EKS add-on or Helm chart name) that serves each CSI provisioner. */
const CSI_DRIVER_ADDONS: Record<string, string> = {
    "ebs.csi.aws.com": "aws-ebs-csi-driver",
    "efs.csi.aws.com": "aws-efs-csi-driver",
    "fsx.csi.aws.com": "aws-fsx-csi-driver",
};

export const storageClassDriverInstalled = stackGuardrail({
    name: "storage-class-driver-installed",
    description: "Every StorageClass's CSI driver is installed in the stack, as an EKS add-on or Helm chart.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "makes storage classes work at all; no benchmark asks for it",
    remediation: "Install the driver as an EKS add-on (aws.eks.Addon / eks.Addon, with an IRSA role) or its Helm chart, in the same stack.",
    validate: (stack, _config, report) => {
        const installed = installedAddOns(stack);
        decideEach(resourcesOfType(stack, STORAGE_CLASS), (storageClass) => {
            const driver = CSI_DRIVER_ADDONS[stringAt(storageClass.props, "provisioner") ?? ""];
            if (driver && !isInstalled(installed, [driver])) {
                report(`Provisioner ${storageClass.props.provisioner} needs ${driver}, which the stack does not install.`, storageClass.urn);
            }
        });
    },
});
