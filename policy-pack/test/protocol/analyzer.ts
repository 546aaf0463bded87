import { spawn, type ChildProcess } from "child_process";
import { createRequire } from "module";
import * as path from "path";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";

// Starts a policy pack the way the Pulumi CLI does for a Node.js pack and talks to it as the
// engine does. The CLI hands the pack to the nodejs language host (RunPlugin, kind "analyzer"),
// which resolves `@pulumi/pulumi/cmd/run-policy-pack` from the pack's directory and runs
// `node <that module> <engine address> <pack directory>` with the pack's directory as working
// directory, after it has received the stack's ConfigureStack request, whose stack, project,
// organisation, dry-run flag and config it passes on in PULUMI_NODEJS_* and PULUMI_CONFIG. The
// pack prints the port of its gRPC server on stdout; the engine dials it, tries Handshake,
// forwards ConfigureStack, asks for GetPluginInfo and GetAnalyzerInfo, then Configure.

// The gRPC and protobuf types, as the generated stubs use them.
type UnaryArguments = Parameters<AnalyzerClient["analyze"]>;
type Metadata = UnaryArguments[1];
type CallOptions = UnaryArguments[2];
type ServiceError = NonNullable<Parameters<UnaryArguments[3]>[0]>;
type EmptyMessage = Parameters<AnalyzerClient["getPluginInfo"]>[0];
export type StructMessage = NonNullable<ReturnType<analyzerProto.AnalyzeRequest["getProperties"]>>;

// The gRPC and protobuf modules the generated stubs load (dependencies of @pulumi/pulumi), so that
// messages and credentials match.
const protoRequire = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));
const grpc = protoRequire("@grpc/grpc-js") as {
    credentials: { createInsecure(): ConstructorParameters<typeof AnalyzerClient>[1] };
    Metadata: new () => Metadata;
    status: { UNIMPLEMENTED: ServiceError["code"]; INVALID_ARGUMENT: ServiceError["code"] };
};
const { Empty } = protoRequire("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => EmptyMessage };
export const { Struct } = protoRequire("google-protobuf/google/protobuf/struct_pb") as {
    Struct: { fromJavaScript(value: Record<string, unknown>): StructMessage };
};

/** run-policy-pack drops this argument; the pack never dials the engine. */
const ENGINE_ADDRESS = "127.0.0.1:0";
const CALL_DEADLINE_MS = 60_000;
/** As the engine's plugin host sets it for analyzers. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/** What the engine knows about the stack under analysis (its ConfigureStack request). */
export interface StackIdentity {
    stack: string;
    project: string;
    organization: string;
    /** Stack config, "namespace:key" → string (structured values JSON-encoded), as the engine decrypts it. */
    config: Record<string, string>;
    secretKeys: string[];
    tags: Record<string, string>;
    dryRun: boolean;
}

class PolicyPackStartError extends Error {}

/** The environment the nodejs language host gives a policy pack process. */
function packEnvironment(identity: StackIdentity): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Artifacts of this test runner, not of a user's shell: tsx's loader, the repository's module path, ts-node settings.
    for (const key of Object.keys(env)) {
        if (key === "NODE_OPTIONS" || key === "NODE_PATH" || key.startsWith("TS_NODE_")) {
            delete env[key];
        }
    }
    const set = (key: string, value: string) => {
        if (value !== "") {
            env[key] = value;
        }
    };
    set("PULUMI_NODEJS_TYPESCRIPT", "true");
    set("PULUMI_NODEJS_ORGANIZATION", identity.organization);
    set("PULUMI_NODEJS_PROJECT", identity.project);
    set("PULUMI_NODEJS_STACK", identity.stack);
    set("PULUMI_NODEJS_DRY_RUN", String(identity.dryRun));
    set("PULUMI_CONFIG", JSON.stringify(identity.config));
    return env;
}

/** The port line, as the engine parses it (it strips terminal progress escapes first); undefined if it is no port. */
function parsePort(line: string): number | undefined {
    const port = Number(line.replaceAll("\u001b]9;4;3;\u001b\\", "").replaceAll("\u001b]9;4;0;\u001b\\", "").trim());
    return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

/** Every pack process this test run started and has not stopped. */
const children = new Set<ChildProcess>();

/** Stops every pack process; synchronous, so that it also works from an exit handler. */
export function stopAllPackProcesses(): void {
    for (const child of children) {
        child.kill();
    }
    children.clear();
}

type Callback<Response> = (error: ServiceError | null, response: Response) => void;

export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: AnalyzerClient,
        readonly port: number,
        private readonly output: { stderr: string },
    ) {}

    /**
     * Starts the pack in `packDir` with the environment the language host derives from `identity`,
     * connects and handshakes; each preview then sends its own ConfigureStack.
     */
    static async start(packDir: string, identity: StackIdentity): Promise<PolicyPackProcess> {
        // locateModule: the language host asks node, in the pack's directory, to resolve this module.
        const runPolicyPack = createRequire(path.join(packDir, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
        const child = spawn(process.execPath, [runPolicyPack, ENGINE_ADDRESS, packDir], {
            cwd: packDir,
            env: packEnvironment(identity),
            stdio: ["ignore", "pipe", "pipe"],
        });
        children.add(child);
        child.once("exit", () => children.delete(child));
        const output = { stderr: "" };
        child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const onData = (chunk: Buffer) => {
                stdout += chunk.toString();
                const newline = stdout.indexOf("\n");
                if (newline >= 0) {
                    child.stdout.off("data", onData);
                    const line = stdout.slice(0, newline);
                    const port = parsePort(line);
                    if (port === undefined) {
                        reject(new PolicyPackStartError(`the policy pack wrote an invalid port to stdout: ${JSON.stringify(line)}`));
                    } else {
                        resolve(port);
                    }
                }
            };
            child.stdout.on("data", onData);
            child.once("error", reject);
            child.once("exit", (code, signal) =>
                reject(
                    new PolicyPackStartError(`the policy pack in ${packDir} exited (${signal ?? `code ${code}`}) before printing its port:\n${output.stderr}`),
                ),
            );
        }).catch((error: unknown) => {
            child.kill();
            throw error;
        });
        // Whatever the pack prints later is diagnostics, as the engine treats it.
        child.stdout.resume();
        child.removeAllListeners("exit");
        child.once("exit", () => children.delete(child));
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
        const pack = new PolicyPackProcess(child, client, port, output);
        await pack.handshake(packDir);
        return pack;
    }

    private call<Response>(invoke: (metadata: Metadata, options: CallOptions, callback: Callback<Response>) => unknown): Promise<Response> {
        return new Promise((resolve, reject) =>
            invoke(new grpc.Metadata(), { deadline: Date.now() + CALL_DEADLINE_MS }, (error, response) =>
                error ? reject(Object.assign(error, { packStderr: this.output.stderr })) : resolve(response),
            ),
        );
    }

    /** The engine tries Handshake first and carries on when the pack does not implement it. */
    private async handshake(packDir: string): Promise<void> {
        const request = new analyzerProto.AnalyzerHandshakeRequest();
        request.setEngineAddress(ENGINE_ADDRESS);
        request.setRootDirectory(packDir);
        request.setProgramDirectory(packDir);
        try {
            await this.call<analyzerProto.AnalyzerHandshakeResponse>((...rest) => this.client.handshake(request, ...rest));
        } catch (error) {
            if ((error as ServiceError).code !== grpc.status.UNIMPLEMENTED) {
                throw error;
            }
        }
    }

    configureStack(identity: StackIdentity): Promise<analyzerProto.AnalyzerStackConfigureResponse> {
        const request = new analyzerProto.AnalyzerStackConfigureRequest();
        request.setStack(identity.stack);
        request.setProject(identity.project);
        request.setOrganization(identity.organization);
        request.setDryRun(identity.dryRun);
        request.setConfigSecretKeysList(identity.secretKeys);
        Object.entries(identity.config).forEach(([key, value]) => request.getConfigMap().set(key, value));
        Object.entries(identity.tags).forEach(([key, value]) => request.getTagsMap().set(key, value));
        return this.call((...rest) => this.client.configureStack(request, ...rest));
    }

    getPluginInfo(): Promise<PluginInfo> {
        return this.call((...rest) => this.client.getPluginInfo(new Empty(), ...rest));
    }

    getAnalyzerInfo(): Promise<analyzerProto.AnalyzerInfo> {
        return this.call((...rest) => this.client.getAnalyzerInfo(new Empty(), ...rest));
    }

    configure(request: analyzerProto.ConfigureAnalyzerRequest): Promise<EmptyMessage> {
        return this.call((...rest) => this.client.configure(request, ...rest));
    }

    remediate(request: analyzerProto.AnalyzeRequest): Promise<analyzerProto.RemediateResponse> {
        return this.call((...rest) => this.client.remediate(request, ...rest));
    }

    analyze(request: analyzerProto.AnalyzeRequest): Promise<analyzerProto.AnalyzeResponse> {
        return this.call((...rest) => this.client.analyze(request, ...rest));
    }

    analyzeStack(request: analyzerProto.AnalyzeStackRequest): Promise<analyzerProto.AnalyzeResponse> {
        return this.call((...rest) => this.client.analyzeStack(request, ...rest));
    }

    /** What the pack wrote to stderr so far. */
    get diagnostics(): string {
        return this.output.stderr;
    }

    get running(): boolean {
        return this.child.exitCode === null && this.child.signalCode === null;
    }

    close(): void {
        this.client.close();
        this.child.kill();
        children.delete(this.child);
    }
}

export { analyzerProto };
export const grpcStatus = grpc.status;
