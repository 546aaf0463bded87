import { chartImagesOf, type ChartImage } from "../../policy-pack/lib/images";
import type { ImageSource, ImageUse } from "../capability";
import { type ChartPin, HELM_CHARTS } from "../versions";

export type ChartKey = keyof typeof HELM_CHARTS;

/** The images of a pinned chart, from the generated table; fails loudly when the table is older than the pin. */
function imagesOfPin(pin: ChartPin, what: string): ChartImage[] {
    const images = chartImagesOf(pin.chart, pin.version);
    if (!images) {
        throw new Error(
            `${pin.chart} ${pin.version} (${what}) is not in policy-pack/data/chart-images.json: regenerate it with \`npm run -s images:generate\` (docs/registry.md)`,
        );
    }
    return images;
}

/** The images a pinned chart runs, as a capability declares them in `images`. */
export function chartImageUses(key: ChartKey, reason: string): ImageUse[] {
    return imagesOfPin(HELM_CHARTS[key], `HELM_CHARTS.${key}`).map((image) => ({
        repository: image.repository,
        reason,
        chart: { key, valuesPath: image.valuesPath },
    }));
}

/**
 * The chart's values with every image repository it runs set to where the nodes pull it from: the
 * value given at that key, else the chart's default, through `images`. A key is written only when
 * that changes the repository, so a stack pulling directly keeps the chart's own defaults.
 */
export function withChartImages(pin: ChartPin, values: Record<string, unknown>, images: ImageSource): Record<string, unknown> {
    let result = values;
    for (const image of imagesOfPin(pin, pin.chart)) {
        const keys = image.valuesPath.split(".");
        const given = keys.reduce<unknown>(
            (node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
            result,
        );
        const upstream = typeof given === "string" ? given : image.repository;
        const repository = images.repository(upstream);
        if (repository !== upstream || given !== undefined) {
            result = setAt(result, keys, repository);
        }
    }
    return result;
}

/** A copy of `object` with `value` at the path, copying only the objects along it. */
function setAt(object: Record<string, unknown>, [key, ...rest]: string[], value: unknown): Record<string, unknown> {
    if (rest.length === 0) {
        return { ...object, [key]: value };
    }
    const child = object[key];
    return { ...object, [key]: setAt(child !== null && typeof child === "object" ? (child as Record<string, unknown>) : {}, rest, value) };
}
