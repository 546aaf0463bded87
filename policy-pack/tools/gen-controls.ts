// Generates policy-pack/controls/catalog.json: every control of Checkov (AWS Terraform and Kubernetes
// checks), trivy-checks (AWS and Kubernetes), the CIS Amazon EKS Benchmark (kube-bench's encoding) and
// the Pod Security Standards (the checks of Kubernetes' Pod Security Admission library), read from the
// tools' own sources, with whether each applies to what this program renders or the pack judges.
//
//   git clone https://github.com/bridgecrewio/checkov                /tmp/checkov
//   git clone https://github.com/aquasecurity/trivy-checks           /tmp/trivy-checks
//   git clone https://github.com/aquasecurity/kube-bench             /tmp/kube-bench
//   git clone https://github.com/kubernetes/pod-security-admission   /tmp/pod-security-admission
//   npm run -s controls:generate -- --checkov /tmp/checkov/.git --trivy-checks /tmp/trivy-checks/.git \
//       --kube-bench /tmp/kube-bench/.git --pod-security-admission /tmp/pod-security-admission/.git
//
// The resource types come from rendering every stack in stacks/, every example stack file under
// examples/ and every stack file of the bootstrap project (bootstrap/), plus every type a rule of the
// pack names. Run it again after upgrading a source, or
// when a test reports that the program renders a type the catalog does not know.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { policies } from "../evaluate";
import { WORKLOAD_TYPES } from "../lib/workloads";
import { CATALOG_PATH, type Catalog, type CatalogControl, type CatalogFamily, type FamilyName } from "./controls/catalog";
import { NOT_APPLICABLE } from "./controls/left-out";
import {
    checkovAwsControls,
    checkovAwsOtherControls,
    checkovKubernetesControls,
    checkovKubernetesGraphControls,
    cisEksControls,
    podSecurityStandardsControls,
    sourceRecord,
    trivyAwsControls,
    trivyKubernetesControls,
    type GitSource,
    type SourceControl,
} from "./controls/sources";

const REPOSITORY_ROOT = path.resolve(__dirname, "..", "..");

/** The program's component of an EKS cluster carries an aws.eks.Cluster's inputs; judged as one. */
const REMOTE_COMPONENT_TERRAFORM: Record<string, string> = { "eks:index:Cluster": "aws_eks_cluster" };

/** A Terraform type name without its underscores, as the Pulumi token spells it: aws_ec2_transit_gateway → awsec2transitgateway. */
function squashed(name: string): string {
    return name.replace(/_/g, "").toLowerCase();
}

/**
 * The Terraform type the Pulumi AWS provider bridges a token from, whichever a scanner names:
 * `aws_<module>_<resource>`, `aws_<resource>` (EC2 and VPC resources drop the module), or the
 * module alone when the resource repeats it (aws:ec2transitgateway/transitGateway → aws_ec2_transit_gateway).
 * Tokens drop Terraform's underscores (ec2transitgateway, openIdConnectProvider), so names are
 * compared without them. Undefined when no scanner names the type, since then no control inspects it.
 */
export function terraformTypeOf(token: string, knownTypes: ReadonlySet<string>): string | undefined {
    if (REMOTE_COMPONENT_TERRAFORM[token]) {
        return REMOTE_COMPONENT_TERRAFORM[token];
    }
    const match = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):/.exec(token);
    if (!match) {
        return undefined;
    }
    const [, module, resource] = match;
    const known = new Map([...knownTypes].map((type) => [squashed(type), type]));
    const candidates = [`aws${module}${resource}`, `aws${resource}`, ...(module.endsWith(resource.toLowerCase()) ? [`aws${module}`] : [])];
    return candidates.map((candidate) => known.get(candidate.toLowerCase())).find((type) => type !== undefined);
}

/** The Kubernetes kind of a @pulumi/kubernetes token (its `*Patch` and `*List` variants name the same kind). */
export function kubernetesKindOf(token: string): string | undefined {
    const match = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(token);
    if (!match || ["helm.sh/v3", "helm.sh/v4", "yaml/v2", "kustomize/v2"].includes(match[1]) || match[1].startsWith("yaml")) {
        return undefined;
    }
    return match[2].replace(/(Patch|List)$/, "");
}

/** The service a Terraform type belongs to, as its name says: aws_s3_bucket_acl → s3. */
function serviceOf(terraformType: string): string {
    return terraformType.split("_")[1];
}

const UNRELATED = "inspects only resource types that the program does not render and the pack does not judge";

function notApplicableReason(control: SourceControl, targets: ReadonlySet<string>): string | undefined {
    if (control.outOfScope) {
        return control.outOfScope;
    }
    if (control.targets.length === 0 || control.targets.some((target) => targets.has(target))) {
        return undefined;
    }
    return UNRELATED;
}

function classify(family: FamilyName, controls: SourceControl[], decide: (control: SourceControl) => string | undefined): CatalogControl[] {
    // An ID defined twice (a resource check and a data-source check share some) keeps its first definition.
    const firstOfEach = controls.filter((control, index) => controls.findIndex((other) => other.id === control.id) === index);
    return firstOfEach
        .map((control) => {
            const reason = (NOT_APPLICABLE[family] ?? []).find(([pattern]) => pattern.test(control.id))?.[1] ?? decide(control);
            const entry: CatalogControl = { id: control.id, title: control.title, targets: control.targets, applicable: reason === undefined };
            if (control.aliases.length > 0) {
                entry.aliases = control.aliases;
            }
            if (reason !== undefined) {
                entry.reason = reason;
            }
            return entry;
        })
        .sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
}

async function renderedTypes(): Promise<string[]> {
    // Imported here so that the pure functions above stay usable without the program.
    const { listStacks, projectDirOf, readStack, readStackFile, renderOtherProject, renderStack, ROOT } = await import("../../tools/harness/render");
    const stackFiles = (directory: string): string[] =>
        fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
            const full = path.join(directory, entry.name);
            if (entry.isDirectory()) {
                return stackFiles(full);
            }
            return /^Pulumi\.[^.]+\.yaml$/.test(entry.name) ? [full] : [];
        });
    const otherFiles = ["examples", "bootstrap"].flatMap((directory) => stackFiles(path.join(REPOSITORY_ROOT, directory)));
    const types = new Set<string>();
    for (const source of [...listStacks().map(readStack), ...otherFiles.map(readStackFile)]) {
        const projectDir = source.file ? projectDirOf(source.file) : ROOT;
        const rendered = projectDir === path.resolve(ROOT) ? await renderStack(source) : await renderOtherProject(source, projectDir);
        rendered.resources.forEach((resource) => types.add(resource.type));
    }
    return [...types];
}

/** Every type token a rule names (wildcards aside) and every workload kind. */
export function judgedTypes(): string[] {
    return [...new Set([...policies.flatMap((policy) => (policy.kind === "resource" ? [...policy.resourceTypes] : [])), ...WORKLOAD_TYPES])].filter(
        (type) => !type.endsWith("*"),
    );
}

export async function generateCatalog(
    sources: Record<"checkov" | "trivyChecks" | "kubeBench" | "podSecurityAdmission", GitSource>,
    command: string,
): Promise<Catalog> {
    const checkovAws = checkovAwsControls(sources.checkov);
    const checkovAwsOther = checkovAwsOtherControls(sources.checkov);
    const checkovKubernetes = [...checkovKubernetesControls(sources.checkov), ...checkovKubernetesGraphControls(sources.checkov)];
    const trivyAws = trivyAwsControls(sources.trivyChecks);
    const trivyKubernetes = trivyKubernetesControls(sources.trivyChecks);
    const cis = cisEksControls(sources.kubeBench);
    const pss = podSecurityStandardsControls(sources.podSecurityAdmission);

    const knownTerraformTypes = new Set([...checkovAws, ...trivyAws].flatMap((control) => control.targets));
    const tokens = [...new Set([...(await renderedTypes()), ...judgedTypes()])].sort();
    const resourceTypes = tokens.map((pulumi): Catalog["resourceTypes"][number] => {
        const terraform = terraformTypeOf(pulumi, knownTerraformTypes);
        const kind = kubernetesKindOf(pulumi);
        return terraform ? { pulumi, terraform } : kind ? { pulumi, kind } : { pulumi };
    });
    const terraformTypes = new Set(resourceTypes.flatMap((type) => (type.terraform ? [type.terraform] : [])));
    const services = new Set([...terraformTypes].map(serviceOf));
    const kinds = new Set(resourceTypes.flatMap((type) => (type.kind ? [type.kind.toLowerCase()] : [])));
    const lowerCased = (controls: SourceControl[]) =>
        controls.map((control) => ({ ...control, targets: control.targets.map((target) => target.toLowerCase()) }));

    const family = (
        name: FamilyName,
        source: GitSource,
        paths: string[],
        controls: SourceControl[],
        decide: (control: SourceControl) => string | undefined,
    ): CatalogFamily => ({
        name,
        source: { ...sourceRecord(source, source !== sources.podSecurityAdmission), paths },
        controls: classify(name, controls, decide),
    });
    return {
        generatedBy: command,
        resourceTypes,
        families: [
            family(
                "Checkov AWS",
                sources.checkov,
                ["checkov/terraform/checks/resource/aws/*.py", "checkov/terraform/checks/graph_checks/aws/*.yaml", "checkov/terraform/checks/data/aws/*.py"],
                [...checkovAws, ...checkovAwsOther],
                (control) => notApplicableReason(control, terraformTypes),
            ),
            family("trivy AWS", sources.trivyChecks, ["checks/cloud/aws/**/*.rego (targets: the failing Terraform examples)"], trivyAws, (control) => {
                const foreign = control.targets.filter((target) => !services.has(serviceOf(target)));
                if (!control.outOfScope && foreign.length > 0) {
                    return `its failing example needs ${foreign.join(", ")}, of a service the program does not use`;
                }
                // A check without a Terraform example judges account-wide state the program does not declare.
                if (!control.outOfScope && control.targets.length === 0) {
                    return "has no Terraform example: it judges account-wide state (alarms, credentials, account settings) that no stack declares";
                }
                return notApplicableReason(control, terraformTypes);
            }),
            family("CIS EKS", sources.kubeBench, [`cfg/eks-${cis.version}/*.yaml`], cis.controls, () => undefined),
            family(
                "Checkov Kubernetes",
                sources.checkov,
                ["checkov/kubernetes/checks/resource/k8s/*.py", "checkov/kubernetes/checks/graph_checks/*.yaml"],
                lowerCased(checkovKubernetes),
                (control) => notApplicableReason(control, kinds),
            ),
            family("trivy Kubernetes", sources.trivyChecks, ["checks/kubernetes/*.rego"], lowerCased(trivyKubernetes), (control) =>
                notApplicableReason(control, kinds),
            ),
            family("PSS", sources.podSecurityAdmission, ["policy/check_*.go"], pss, () => undefined),
        ],
    };
}

/** One control per line, so that a regeneration's diff shows exactly which controls changed. */
export function serializeCatalog(catalog: Catalog): string {
    const families = catalog.families.map((family) =>
        [
            "    {",
            `      "name": ${JSON.stringify(family.name)},`,
            `      "source": ${JSON.stringify(family.source)},`,
            '      "controls": [',
            family.controls.map((control) => `        ${JSON.stringify(control)}`).join(",\n"),
            "      ]",
            "    }",
        ].join("\n"),
    );
    return [
        "{",
        `  "generatedBy": ${JSON.stringify(catalog.generatedBy)},`,
        '  "resourceTypes": [',
        catalog.resourceTypes.map((type) => `    ${JSON.stringify(type)}`).join(",\n"),
        "  ],",
        '  "families": [',
        families.join(",\n"),
        "  ]",
        "}",
        "",
    ].join("\n");
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            checkov: { type: "string" },
            "trivy-checks": { type: "string" },
            "kube-bench": { type: "string" },
            "pod-security-admission": { type: "string" },
        },
        strict: true,
    });
    const missing = (["checkov", "trivy-checks", "kube-bench", "pod-security-admission"] as const).filter((name) => !values[name]);
    if (missing.length > 0) {
        console.error(
            `gen-controls: give ${missing.map((name) => `--${name} <git directory>`).join(", ")} (see the header of ${path.relative(REPOSITORY_ROOT, __filename)})`,
        );
        process.exit(2);
    }
    const catalog = await generateCatalog(
        {
            checkov: { gitDir: values.checkov as string, repository: "github.com/bridgecrewio/checkov" },
            trivyChecks: { gitDir: values["trivy-checks"] as string, repository: "github.com/aquasecurity/trivy-checks" },
            kubeBench: { gitDir: values["kube-bench"] as string, repository: "github.com/aquasecurity/kube-bench" },
            podSecurityAdmission: { gitDir: values["pod-security-admission"] as string, repository: "github.com/kubernetes/pod-security-admission" },
        },
        "npm run -s controls:generate -- --checkov <checkov git dir> --trivy-checks <trivy-checks git dir> --kube-bench <kube-bench git dir> " +
            "--pod-security-admission <pod-security-admission git dir>",
    );
    fs.mkdirSync(path.dirname(CATALOG_PATH), { recursive: true });
    fs.writeFileSync(CATALOG_PATH, serializeCatalog(catalog));
    for (const family of catalog.families) {
        console.log(`${family.name}: ${family.controls.length} controls, ${family.controls.filter((control) => control.applicable).length} applicable`);
    }
}

if (require.main === module) {
    main().then(
        () => process.exit(0),
        (error: unknown) => {
            console.error(error);
            process.exit(3);
        },
    );
}
