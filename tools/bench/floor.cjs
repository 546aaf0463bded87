// The bench's floor: a fresh node process that only loads the Pulumi SDK files the plan loads, in
// its order (the list recordSdk.cjs wrote), and does nothing else.
"use strict";
const fs = require("fs");

for (const file of JSON.parse(fs.readFileSync(process.argv[2], "utf8"))) {
    require(file);
}
