import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import type { KubeObject } from "../components/mesh/kube";

/**
 * JSON Schemas of the custom resources the mesh renders, hand-written from the upstream CRDs (each
 * file names the CRD files and versions it was checked against) with additionalProperties: false.
 */
const SCHEMA_FILES: Record<string, string> = {
    "gateway.networking.k8s.io/v1": "gateway.networking.k8s.io-v1.json",
    "application-networking.k8s.aws/v1alpha1": "application-networking.k8s.aws-v1alpha1.json",
    "appmesh.k8s.aws/v1beta2": "appmesh.k8s.aws-v1beta2.json",
};

const ajv = new Ajv({ allErrors: true, strict: true });
for (const file of Object.values(SCHEMA_FILES)) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(__dirname, "schemas", file), "utf8")));
}

/** Whether a schema exists for this object's apiVersion (core objects have none here). */
export function hasCrdSchema(object: KubeObject): boolean {
    return object.apiVersion in SCHEMA_FILES;
}

/** Schema errors of one object against its kind's schema; empty when it conforms. */
export function crdSchemaErrors(object: KubeObject): string[] {
    const file = SCHEMA_FILES[object.apiVersion];
    if (!file) {
        return [`no schema for apiVersion ${object.apiVersion}`];
    }
    const validate = ajv.getSchema(`${file}#/definitions/${object.kind}`);
    if (!validate) {
        return [`no schema for ${object.apiVersion} ${object.kind}`];
    }
    return validate(object) ? [] : (validate.errors ?? []).map((e) => `${object.kind} ${object.metadata.name}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
