import * as fs from "fs";
import * as path from "path";

/**
 * What a generator does with its outputs: writes each file, or with `check` writes nothing and
 * reports which committed files differ from what the sources give. Returns how many differ.
 */
export function writeOrCheck(outputs: [file: string, text: string][], check: boolean | undefined): number {
    let stale = 0;
    for (const [file, text] of outputs) {
        const relative = path.relative(process.cwd(), file);
        if (check) {
            const same = fs.existsSync(file) && fs.readFileSync(file, "utf8") === text;
            stale += same ? 0 : 1;
            console.log(`${relative}: ${same ? "up to date" : "differs from its sources"}`);
        } else {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
            console.log(`wrote ${relative}`);
        }
    }
    return stale;
}
