/** What a mock answer is built from; the area tables (cluster, compute, storage, mesh) share these. */

/** A resource's state as the engine returns it: its inputs echoed, plus what AWS computes. */
export type State = Record<string, unknown>;

export interface MockContext {
    region: string;
    account: string;
    /** The resource's mock ID. */
    id: string;
}

/** A resource as the mocks see it: its logical name and its inputs. */
export interface MockResource {
    name: string;
    inputs: Record<string, unknown>;
}

/** The attributes AWS computes for one resource type. */
export type OutputBuilder = (resource: MockResource, context: MockContext) => State;

/** What AWS answers to one invoke. */
export type InvokeHandler = (inputs: Record<string, unknown>, region: string) => Record<string, unknown>;

/** The name a resource gets: the one its inputs set, else its logical name (as auto-naming starts from it). */
export function physicalName(resource: MockResource, input = "name"): string {
    const given = resource.inputs[input];
    return typeof given === "string" ? given : resource.name;
}
