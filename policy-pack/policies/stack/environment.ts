import { ENVIRONMENT_TAG, ENVIRONMENTS, STRICTEST_ENVIRONMENT } from "../../lib/environments";
import { stackGuardrail } from "../../lib/policy";

export const stackEnvironmentKnown = stackGuardrail({
    name: "stack-environment-known",
    description: `A stack that names its environment with the stack tag ${ENVIRONMENT_TAG} names one the pack has settings for.`,
    enforcementLevel: "mandatory",
    controls: [],
    platformSpecific: "how this pack chooses per-environment settings; no public benchmark speaks to it",
    remediation:
        `Set the tag to one of ${ENVIRONMENTS.join(", ")} (\`pulumi stack tag set ${ENVIRONMENT_TAG} <environment>\`), or remove it: ` +
        `a stack named after an environment gets that environment, any other stack the strictest (${STRICTEST_ENVIRONMENT}).`,
    validate: (stack, _config, report) => {
        const { unknownTag, environment } = stack.environment;
        if (unknownTag !== undefined) {
            report(
                `The stack tag ${ENVIRONMENT_TAG}=${JSON.stringify(unknownTag)} names no environment of this pack (known: ${ENVIRONMENTS.join(", ")}); ` +
                    `the stack is checked with the ${environment} settings.`,
            );
        }
    },
});
