import { guardUnknowns, UnknownValueError } from "./unknown";
import type { EnvironmentSelection } from "./environments";
import type { ResourceGuardrail, ResourceView, StackGuardrail, ReportResourceViolation, ReportStackViolation } from "./policy";

// The one place where a rule is invoked, for the offline evaluator and the engine alike: props
// are guarded so that reading an unknown value throws, and a rule that stops on an unknown is
// reported back as undecided instead of passing or failing.

function guarded(resource: ResourceView): ResourceView {
    return { ...resource, props: guardUnknowns(resource.props) };
}

function undecidedBy(error: unknown): UnknownValueError {
    if (error instanceof UnknownValueError) {
        return error;
    }
    throw error;
}

/** Runs a resource rule; returns the unknown read that kept it from deciding, if any. */
export function runResourceGuardrail(
    policy: ResourceGuardrail<unknown>,
    resource: ResourceView,
    parameters: unknown,
    report: ReportResourceViolation,
): UnknownValueError | undefined {
    try {
        policy.validate(guarded(resource), parameters, report);
        return undefined;
    } catch (error) {
        return undecidedBy(error);
    }
}

/** Runs a stack rule; returns the unknown read that kept it from deciding, if any. */
export function runStackGuardrail(
    policy: StackGuardrail<unknown>,
    resources: ResourceView[],
    parameters: unknown,
    report: ReportStackViolation,
    environment: EnvironmentSelection,
): UnknownValueError | undefined {
    try {
        policy.validate({ resources: resources.map(guarded), environment }, parameters, report);
        return undefined;
    } catch (error) {
        return undecidedBy(error);
    }
}
