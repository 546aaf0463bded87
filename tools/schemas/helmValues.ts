import * as fs from "fs";
import * as path from "path";
import type { AnySchema, ValidateFunction } from "ajv";
import type { PlannedResource } from "../harness/render";
import { compileSchema, SchemaSource } from "./crdSchemas";
import { problemsFromAjv } from "./problems";

/** The token of a Helm v4 chart component, whose values this module checks. */
const HELM_CHART_TOKEN = "kubernetes:helm.sh/v4:Chart";

/**
 * A chart's values are checked when the chart publishes a values.schema.json; the schema is shipped
 * as data/helm/<chart>.json (docs/schemas.md lists which charts publish one).
 */
interface ValuesSchemaFile {
    chart: string;
    version: string;
    source: SchemaSource;
    notes?: string;
    schema: AnySchema;
}

const HELM_DATA_DIR = path.join(__dirname, "data", "helm");

const compiled = new Map<string, { file: ValuesSchemaFile; validate: ValidateFunction } | null>();

function valuesSchema(chart: string): { file: ValuesSchemaFile; validate: ValidateFunction } | null {
    if (!compiled.has(chart)) {
        const file = path.join(HELM_DATA_DIR, `${chart}.json`);
        if (!/^[a-z0-9][a-z0-9-]*$/.test(chart) || !fs.existsSync(file)) {
            compiled.set(chart, null);
        } else {
            const data = JSON.parse(fs.readFileSync(file, "utf8")) as ValuesSchemaFile;
            compiled.set(chart, { file: data, validate: compileSchema(data.schema) });
        }
    }
    return compiled.get(chart)!;
}

/** "oci://public.ecr.aws/x/aws-gateway-controller-chart" and "eks/aws-for-fluent-bit" name the chart by their last segment. */
export function chartName(chart: string): string {
    return chart.slice(chart.lastIndexOf("/") + 1);
}

/** Findings on one Helm chart's values; none for resources that are not Helm v4 charts. */
export function helmValuesProblems(resource: PlannedResource): { apiVersion: string; kind: string; path: string; message: string }[] {
    if (resource.type !== HELM_CHART_TOKEN || typeof resource.props.chart !== "string") {
        return [];
    }
    const name = chartName(resource.props.chart);
    const schema = valuesSchema(name);
    if (!schema) {
        return [];
    }
    const finding = (path: string, message: string) => ({ apiVersion: "helm.sh/v4", kind: "Chart", path, message });
    if (resource.props.version !== schema.file.version) {
        return [
            finding(
                "/version",
                `tools/schemas/data/helm has the values schema of ${name} ${schema.file.version}, not of the pinned ${String(resource.props.version)}: ship the pinned version's`,
            ),
        ];
    }
    const values = resource.props.values ?? {};
    if (schema.validate(values)) {
        return [];
    }
    return problemsFromAjv(schema.validate.errors ?? []).map((p) => finding(`/values${p.path}`, p.message));
}
