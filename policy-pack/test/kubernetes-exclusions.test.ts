import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../evaluate";

const EXCLUSIONS = path.join(__dirname, "..", "controls", "exclusions-kubernetes.json");

describe("controls/exclusions-kubernetes.json: Kubernetes controls the pack does not implement", () => {
    const exclusions = JSON.parse(fs.readFileSync(EXCLUSIONS, "utf8")) as Record<string, unknown>;

    it("gives every control a one-line reason", () => {
        for (const [control, reason] of Object.entries(exclusions)) {
            assert.ok(typeof reason === "string" && reason.length >= 40 && !reason.includes("\n"), control);
        }
    });

    it("excludes no control that a rule claims", () => {
        const claimed = new Set(policies.flatMap((policy) => policy.controls));
        assert.deepEqual(
            Object.keys(exclusions).filter((control) => claimed.has(control)),
            [],
        );
    });
});
