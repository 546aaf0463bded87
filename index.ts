import * as pulumi from "@pulumi/pulumi";
import { runProgram, stackOutputs } from "./components/program";

// Pulumi awaits an exported promise; outputs resolve after validation and construction.
export = runProgram(pulumi.runtime.allConfig(), `stack ${pulumi.getStack()}`).then(stackOutputs);
