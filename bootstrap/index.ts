import * as pulumi from "@pulumi/pulumi";
import { bootstrapSettingsFromPulumiConfig } from "./config";
import { bootstrapOutputs, runBootstrap } from "./program";

const source = `bootstrap stack ${pulumi.getStack()}`;
// Pulumi awaits an exported promise; outputs resolve after validation and construction.
export = runBootstrap(bootstrapSettingsFromPulumiConfig(pulumi.runtime.allConfig(), source), source).then(bootstrapOutputs);
