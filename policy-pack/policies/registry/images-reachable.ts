import { endpointRegion } from "../../lib/endpoints";
import { chartImagesOf, ecrRegistryOf, parseImage } from "../../lib/images";
import { namespaceOf, objectOf } from "../../lib/kubernetes";
import { stackGuardrail, type ResourceView } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach, readKnown } from "../../lib/unknown";
import { stringAt } from "../../lib/values";
import { describeContainer, forEachContainer, WORKLOAD_TYPES } from "../../lib/workloads";
import { HELM_TYPES } from "../mesh/app-mesh";

const NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";
const VPC = "aws:ec2/vpc:Vpc";
const CACHE_RULE = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule";

/** One image the stack runs, and where it is set. */
interface ImageSite {
    image: string;
    where: string;
    urn: string;
}

/**
 * The images a chart runs: the repository its values set at each of its image keys (the chart's
 * default where they set none), from the generated table of the pinned charts. A chart the table
 * does not know is judged by its rendered children when the engine shows them, and reported
 * otherwise: nothing says which images it would pull.
 */
function chartSites(chart: ResourceView, stack: { resources: ResourceView[] }, report: (message: string, urn: string) => void): ImageSite[] {
    const name = String(chart.props.chart);
    const version = String(chart.props.version);
    const images = chartImagesOf(name, version);
    if (!images) {
        if (!stack.resources.some((resource) => resource.parent === chart.urn)) {
            report(
                `Helm chart ${name} ${version}: which images it runs is not known (it is not in the pack's chart image table, data/chart-images.json, and no rendered object shows them); regenerate the table (npm run -s images:generate).`,
                chart.urn,
            );
        }
        return [];
    }
    const values = readKnown(() => chart.props.values as unknown);
    return images.map((image) => ({
        image: stringAt(values, ...image.valuesPath.split(".")) ?? image.repository,
        where: `Helm chart ${name} (values ${image.valuesPath})`,
        urn: chart.urn,
    }));
}

function workloadSites(workload: ResourceView): ImageSite[] {
    const sites: ImageSite[] = [];
    const metadata = objectOf(workload).metadata;
    forEachContainer(workload, (container) => {
        if (typeof container.spec.image === "string") {
            sites.push({
                image: container.spec.image,
                where: `${describeContainer(container)} of ${workload.type.split(":").pop()} ${namespaceOf(workload)}/${metadata?.name ?? workload.name}`,
                urn: workload.urn,
            });
        }
    });
    return sites;
}

export const imagesReachableWithoutNat = stackGuardrail({
    name: "images-reachable-without-nat",
    description:
        "In a stack whose VPC has no NAT gateway, every image its workloads and Helm charts run comes from ECR in the stack's region " +
        "(its own repositories, AWS's add-on registries, or its pull-through cache under a prefix a cache rule serves), the only registry its nodes reach.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "makes a NAT-less cluster work at all (its nodes can pull every image it runs); no benchmark asks for it",
    remediation:
        "Pull the image through the account's ECR pull-through cache (<account>.dkr.ecr.<region>.amazonaws.com/<namespace>/<upstream>/<path>, " +
        "which the platform sets in chart values and manifests when the network has no NAT, docs/registry.md), copy it into a repository of the " +
        "stack's region, or give the network a NAT gateway.",
    validate: (stack, _config, report) => {
        if (resourcesOfType(stack, VPC).length === 0 || resourcesOfType(stack, NAT_GATEWAY).length > 0) {
            return;
        }
        const region = endpointRegion(stack);
        const rulePrefixes = resourcesOfType(stack, CACHE_RULE).flatMap((rule) => {
            const prefix = readKnown(() => rule.props.ecrRepositoryPrefix as unknown);
            return typeof prefix === "string" ? [prefix] : [];
        });
        const namespaces = new Set(rulePrefixes.map((prefix) => prefix.split("/")[0]));
        const sites = [
            ...resourcesOfType(stack, ...HELM_TYPES).flatMap((chart) => chartSites(chart, stack, report)),
            ...resourcesOfType(stack, ...WORKLOAD_TYPES).flatMap(workloadSites),
        ];
        decideEach(sites, ({ image, where, urn }) => {
            const { registry, path } = parseImage(image);
            const ecr = ecrRegistryOf(registry);
            if (!ecr) {
                report(`${where} runs ${image} from ${registry}, which the nodes cannot reach without NAT.`, urn);
            } else if (region && ecr.region !== region) {
                report(`${where} runs ${image} from ${registry}, ECR in ${ecr.region}: without NAT the nodes reach ECR in ${region} only.`, urn);
            } else if (namespaces.has(path.split("/")[0]) && !rulePrefixes.some((prefix) => path.startsWith(`${prefix}/`))) {
                report(
                    `${where} runs ${image} from ${registry} under ${path.split("/").slice(0, 2).join("/")}/, which no pull-through cache rule serves.`,
                    urn,
                );
            }
        });
    },
});
