import { resourceGuardrail } from "../../lib/policy";

/** AWS managed policies that cap nothing: as a boundary, they leave the role's own policies in full force. */
const NO_CAP_BOUNDARIES = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

export const iamRoleBounded = resourceGuardrail({
    name: "iam-role-bounded",
    description:
        "Every IAM role has a permissions boundary that caps it (not AdministratorAccess, PowerUserAccess or IAMFullAccess), so no policy " +
        "attached to it, by a deployment or by hand, can make it more than the boundary allows.",
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific:
        "no Checkov, trivy or CIS EKS control requires a permissions boundary on every role; it is how this platform stops a deploy role that " +
        "may create roles from creating one more powerful than itself and passing it to an instance or a service",
    remediation:
        "Set the role's permissionsBoundary. For the platform's roles set eks-platform:iam.permissionsBoundaryArn to the bootstrap stack's " +
        "workloadBoundaryArn output; the deploy roles may create roles only with that boundary.",
    resourceTypes: ["aws:iam/role:Role"],
    validate: (role, _config, report) => {
        const boundary: unknown = role.props.permissionsBoundary;
        if (boundary === undefined || boundary === null || boundary === "") {
            report("The role has no permissions boundary: its policies, and any attached later, are all it is limited by.");
        } else if (typeof boundary === "string" && NO_CAP_BOUNDARIES.test(boundary)) {
            report(`The role's permissions boundary is ${boundary}, which caps nothing.`);
        }
    },
});
