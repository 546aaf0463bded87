import { resourceGuardrail } from "../../lib/policy";
import { githubTrusts } from "../../lib/github-oidc";

export const githubOidcRoleBounded = resourceGuardrail({
    name: "github-oidc-role-bounded",
    description: "A role that GitHub Actions' OIDC tokens can assume has a permissions boundary, so no policy attached to it later can widen what CI may do.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific:
        "no Checkov, trivy or CIS EKS control asks for a permissions boundary; it is how this platform caps what its CI roles, and any policy attached to them later, can grant",
    remediation:
        "Set permissionsBoundary to a managed policy that caps the role at the services and resources the pipeline manages and denies " +
        "changes to the delivery foundation (the bootstrap project's deploy and preview boundaries).",
    resourceTypes: ["aws:iam/role:Role"],
    validate: (role, _config, report) => {
        const boundary: unknown = role.props.permissionsBoundary;
        if (githubTrusts(role.props.assumeRolePolicy).length > 0 && (typeof boundary !== "string" || boundary === "")) {
            report("GitHub Actions can assume the role, and it has no permissions boundary.");
        }
    },
});
