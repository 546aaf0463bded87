import type { ConfigProblem } from "../../config/problems";
import type { ValidationFacts } from "../capability";
import type { IamSettings } from "./settings";

/** Environments whose roles must carry a permissions boundary: those the bootstrap project's deploy roles deploy. */
const BOUNDARY_REQUIRED_ENVIRONMENTS: readonly ValidationFacts["environment"][] = ["staging", "prod"];

/** The account and partition of an ARN (`arn:<partition>:<service>:<region>:<account>:...`). */
function accountOf(arn: string): { partition: string; accountId: string } {
    const [, partition, , , accountId] = arn.split(":");
    return { partition, accountId };
}

/**
 * The boundary is required where the deploy roles demand it, and must be a policy of the account the
 * stack deploys into (known from the deployer's principal): IAM refuses a boundary from another account.
 */
export function validateIam(iam: IamSettings, facts: ValidationFacts): ConfigProblem[] {
    const { permissionsBoundaryArn } = iam;
    if (permissionsBoundaryArn === undefined) {
        return BOUNDARY_REQUIRED_ENVIRONMENTS.includes(facts.environment)
            ? [
                  {
                      path: "iam.permissionsBoundaryArn",
                      value: undefined,
                      message: `is required in ${facts.environment}: its deploy role may create IAM roles only with the workload boundary; set the bootstrap stack's \`workloadBoundaryArn\` output`,
                  },
              ]
            : [];
    }
    if (facts.deployerPrincipalArn === undefined) {
        return [];
    }
    const boundary = accountOf(permissionsBoundaryArn);
    const deployer = accountOf(facts.deployerPrincipalArn);
    if (boundary.accountId !== deployer.accountId || boundary.partition !== deployer.partition) {
        return [
            {
                path: "iam.permissionsBoundaryArn",
                value: permissionsBoundaryArn,
                message: `must be a policy of the account the stack deploys into (${deployer.partition}, ${deployer.accountId}); a role cannot take another account's policy as its boundary`,
            },
        ];
    }
    return [];
}
