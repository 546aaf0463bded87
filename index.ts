import * as pulumi from "@pulumi/pulumi";
import { settingsFromPulumiConfig } from "./config";
import { runProgram, stackOutputs } from "./components/program";

// Pulumi awaits an exported promise; outputs resolve after validation and construction.
export = runProgram(settingsFromPulumiConfig(pulumi.runtime.allConfig()), `stack ${pulumi.getStack()}`).then(stackOutputs);
