// The bench's floor: a fresh node process that only loads the Pulumi SDK files the plan loads, and
// does nothing else.
"use strict";
require("./sdk.cjs").loadPlanSdk(process.argv[2]);
