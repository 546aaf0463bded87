import * as fs from "fs";
import * as path from "path";
import { evaluate } from "../../policy-pack/evaluate";
import type { PlannedResource } from "../harness/render";
import type { PlanViolation } from "./document";

const POLICY_CONFIG_DIR = path.resolve(__dirname, "..", "..", "policy-pack", "config");

/**
 * The policy-pack config for an environment tier: the same file CI passes to
 * `pulumi preview --policy-pack-config`, so offline and engine verdicts agree.
 */
export function policyConfigFile(environment: string): string {
    return path.join(POLICY_CONFIG_DIR, `${environment}.json`);
}

/** Runs the policy pack over planned resources with the given policy-pack config file. */
export async function evaluatePlan(resources: PlannedResource[], stack: string, configFile: string): Promise<PlanViolation[]> {
    const config = JSON.parse(fs.readFileSync(configFile, "utf8")) as object;
    return evaluate(resources, { stack, config });
}
