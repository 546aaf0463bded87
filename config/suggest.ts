/**
 * Edit distance between two words: insertions, deletions, substitutions and swaps of neighbours
 * each cost 1 (optimal string alignment), so "platfrom" is one edit from "platform".
 */
function editDistance(a: string, b: string): number {
    const rows = a.length + 1;
    const columns = b.length + 1;
    const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < columns; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.length][b.length];
}

/**
 * The candidate a mistyped word most likely meant: the nearest by edit distance (case ignored),
 * when it is within a third of the word's length (at least 1, at most 3 edits), or the one the
 * word is a prefix or an extension of. Undefined when nothing is that close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    const lower = word.toLowerCase();
    const budget = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const other = candidate.toLowerCase();
        const distance = editDistance(lower, other);
        const related = other.length >= 3 && lower.length >= 3 && (other.startsWith(lower) || lower.startsWith(other));
        if ((distance <= budget || related) && (!best || distance < best.distance)) {
            best = { candidate, distance };
        }
    }
    return best?.candidate;
}
