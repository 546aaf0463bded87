/** What a mock answer is built from; the area tables (cluster, compute, storage, mesh) share these. */

/** A resource's state as the engine returns it: its inputs echoed, plus what AWS computes. */
export type State = Record<string, unknown>;

export interface MockContext {
    region: string;
    account: string;
    /** The resource's mock ID. */
    id: string;
    /**
     * The name in AWS: the value of the input the provider auto-names, as the program set it or as the
     * mocks generate it (`<logical name>-<7 hex digits>`), else the `name` input or the logical name.
     */
    physicalName: string;
}

/** A resource as the mocks see it: its logical name and its inputs. */
interface MockResource {
    name: string;
    inputs: Record<string, unknown>;
}

/** The attributes AWS computes for one resource type. */
export type OutputBuilder = (resource: MockResource, context: MockContext) => State;

/** What AWS answers to one invoke. */
export type InvokeHandler = (inputs: Record<string, unknown>, region: string) => Record<string, unknown>;
