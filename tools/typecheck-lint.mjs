// `npm run typecheck-lint`: the type check and the type-checked lint from one TypeScript program.
//
// `tsc --noEmit` and typescript-eslint's type-aware rules both need the whole repository's program
// and its type checker; built separately, the program's parse, bind and check are paid twice. This
// builds the program once, as `tsc --noEmit -p tsconfig.json` does, reports exactly what tsc would
// report from it, then hands the same program (its checker now warm) to ESLint's API in place of
// the project service eslint.config.mjs names. The lint is otherwise `npm run lint`: the same
// config, files, content cache and output.
//
// Exit status: tsc's (1 or 2 when it reports errors) if the type check fails, else ESLint's (1 when
// a rule reports an error), else 0. Both always run, so one run reports every kind of problem.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import ts from "typescript";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** The program `tsc -p tsconfig.json` builds, and the diagnostics tsc --noEmit reports for it, in its order. */
function typeCheck() {
    const configFile = path.join(ROOT, "tsconfig.json");
    const problems = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(
        configFile,
        { noEmit: true },
        { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => problems.push(d) },
    );
    if (!parsed) {
        return { program: undefined, diagnostics: problems };
    }
    const program = ts.createProgram({
        rootNames: parsed.fileNames,
        options: parsed.options,
        projectReferences: parsed.projectReferences,
        configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
    });
    // As tsc's emitFilesAndReportErrors: config and options problems and syntax errors first; the
    // semantic check only when the syntax is sound.
    const diagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics()];
    if (diagnostics.length === 0) {
        diagnostics.push(...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics());
    }
    return { program, diagnostics: ts.sortAndDeduplicateDiagnostics(diagnostics) };
}

function report(diagnostics) {
    const host = { getCanonicalFileName: (file) => file, getCurrentDirectory: () => process.cwd(), getNewLine: () => ts.sys.newLine };
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    process.stdout.write(format(diagnostics, host));
    return diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
}

const { program, diagnostics } = typeCheck();
const typeErrors = report(diagnostics);
// tsc: 1 when it stopped before the check (config or syntax), 2 when the check found errors.
const typeStatus = typeErrors === 0 ? 0 : program && program.getSyntacticDiagnostics().length === 0 && program.getOptionsDiagnostics().length === 0 ? 2 : 1;
process.stdout.write(`[type check] ${typeStatus === 0 ? "passed" : `FAILED (exit ${typeStatus})`} at ${seconds()}\n`);

let lintStatus = 2;
if (program) {
    // ESLint's cache keys results by the config, which it serializes; the program stands there for
    // what `projectService: true` stood for: the types of tsconfig.json's project.
    program.toJSON = () => "the program of tsconfig.json";
    const eslint = new ESLint({
        cwd: ROOT,
        cache: true,
        cacheStrategy: "content",
        cacheLocation: path.join(ROOT, "node_modules", ".cache", "eslint") + path.sep,
        overrideConfig: { languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
    });
    const results = await eslint.lintFiles(["."]);
    const formatter = await eslint.loadFormatter("stylish");
    const output = await formatter.format(results);
    if (output) {
        process.stdout.write(output);
    }
    lintStatus = results.some((result) => result.errorCount > 0 || result.fatalErrorCount > 0) ? 1 : 0;
}
process.stdout.write(`[lint] ${lintStatus === 0 ? "passed" : `FAILED (exit ${lintStatus})`} at ${seconds()}\n`);
process.exitCode = typeStatus || lintStatus;
