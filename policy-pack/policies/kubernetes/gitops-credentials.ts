// GitOps credentials are referenced, never written: a Flux source names a Secret that exists in the
// cluster, created outside the program, so the token is in neither the stack file, the program's
// state nor the object the source controller reads its URL from.
import { kubernetesTypes, namespaceOf, objectOf } from "../../lib/kubernetes";
import { stackGuardrail } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach } from "../../lib/unknown";

const FLUX_SOURCE_VERSIONS = ["source.toolkit.fluxcd.io/v1", "source.toolkit.fluxcd.io/v1beta2"];
const FLUX_SOURCE_TYPES = ["GitRepository", "OCIRepository", "HelmRepository", "Bucket"].flatMap((kind) => kubernetesTypes(kind, FLUX_SOURCE_VERSIONS));
const SECRET_TYPES = kubernetesTypes("Secret", ["core/v1"]);

interface FluxSource {
    spec?: { url?: string; endpoint?: string; secretRef?: { name?: string } };
}

/** What the user-info part of a URL holds: nothing, a user name alone (ssh://git@host), or a password or token. */
function userInfoOf(url: string): "none" | "user" | "password" {
    const match = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url);
    if (!match) {
        return "none";
    }
    return match[1].includes(":") ? "password" : "user";
}

export const gitopsCredentialsByReference = stackGuardrail({
    name: "gitops-credentials-by-reference",
    description:
        "Flux sources carry no credentials: no password or token in a source's URL, and no Secret a source names is created by " +
        "the stack (its value would sit in the stack's configuration and state).",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "no benchmark family of the control catalog judges Flux source objects; this platform's GitOps contract",
    remediation:
        "Put the URL without credentials in gitops.source.url and name, in gitops.source.secretName, a Secret created in " +
        "flux-system outside the program (`flux create secret git`, or External Secrets from AWS Secrets Manager); revoke any " +
        "token that was written down. Sources in ECR need no Secret: the source-controller pulls with its IRSA role.",
    validate: (stack, _config, report) => {
        const secrets = resourcesOfType(stack, ...SECRET_TYPES);
        decideEach(resourcesOfType(stack, ...FLUX_SOURCE_TYPES), (source) => {
            const spec = objectOf<FluxSource>(source).spec ?? {};
            const url = spec.url ?? spec.endpoint;
            if (typeof url === "string") {
                const userInfo = userInfoOf(url);
                if (userInfo === "password" || (userInfo === "user" && !url.startsWith("ssh://"))) {
                    report(`Flux source ${source.name} has credentials in its URL.`, source.urn);
                }
            }
            const secretName = spec.secretRef?.name;
            const namespace = namespaceOf(source);
            decideEach(secrets, (secret) => {
                const metadata = objectOf(secret).metadata ?? {};
                if (secretName !== undefined && metadata.name === secretName && namespaceOf(secret) === namespace) {
                    report(`Flux source ${source.name} reads its credentials from Secret ${namespace}/${secretName}, which the stack creates.`, source.urn);
                }
            });
        });
    },
});
