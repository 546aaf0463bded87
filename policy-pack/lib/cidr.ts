// Network ranges judged by the addresses they cover, not by how they are spelled: 0.0.0.0/1 with
// 128.0.0.0/1 is the whole IPv4 internet, and so are ::/0, 0::0/0 and 0:0:0:0:0:0:0:0/0 for IPv6.

export interface AddressRange {
    family: "IPv4" | "IPv6";
    first: bigint;
    last: bigint;
}

const BITS = { IPv4: 32, IPv6: 128 } as const;

function ipv4Value(address: string): bigint | undefined {
    const octets = address.split(".");
    if (octets.length !== 4 || octets.some((octet) => !/^\d{1,3}$/.test(octet) || Number(octet) > 255)) {
        return undefined;
    }
    return octets.reduce((value, octet) => value * 256n + BigInt(octet), 0n);
}

function ipv6Value(address: string): bigint | undefined {
    let text = address.toLowerCase();
    // An embedded dotted quad (::ffff:192.0.2.1) stands for the last two groups.
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (dotted) {
        const value = ipv4Value(dotted[1]);
        if (value === undefined) {
            return undefined;
        }
        text = `${text.slice(0, -dotted[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
    }
    const halves = text.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groups = (half: string) => (half === "" ? [] : half.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
        return undefined;
    }
    const all = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => "0"), ...tail];
    if (all.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) {
        return undefined;
    }
    return all.reduce((value, group) => (value << 16n) + BigInt(parseInt(group, 16)), 0n);
}

/** The addresses a CIDR (or a bare address) covers; undefined when it is not one. */
export function parseCidr(text: string): AddressRange | undefined {
    const [address, prefixText, extra] = text.trim().split("/");
    if (extra !== undefined) {
        return undefined;
    }
    const family = address.includes(":") ? "IPv6" : "IPv4";
    const value = family === "IPv6" ? ipv6Value(address) : ipv4Value(address);
    const bits = BITS[family];
    const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (value === undefined || !Number.isInteger(prefix) || prefix > bits) {
        return undefined;
    }
    const size = 1n << BigInt(bits - prefix);
    const first = (value / size) * size;
    return { family, first, last: first + size - 1n };
}

/** The address families (IPv4, IPv6) whose every address some CIDR of the list covers. */
export function worldOpenFamilies(cidrs: readonly string[]): Array<AddressRange["family"]> {
    const ranges = cidrs.map(parseCidr).filter((range): range is AddressRange => range !== undefined);
    return (["IPv4", "IPv6"] as const).filter((family) => {
        const sorted = ranges.filter((range) => range.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
        let next = 0n;
        for (const range of sorted) {
            if (range.first > next) {
                return false;
            }
            next = range.last + 1n > next ? range.last + 1n : next;
        }
        return next === 1n << BigInt(BITS[family]);
    });
}

/** True for a CIDR that alone covers every address of its family (0.0.0.0/0, ::/0 and their spellings). */
export function isWorldOpen(cidr: string): boolean {
    return worldOpenFamilies([cidr]).length > 0;
}

/** Whether every address of `inner` lies in `outer`, both IPv4 CIDRs. */
export function ipv4CidrWithin(inner: string, outer: string): boolean {
    const [innerRange, outerRange] = [inner, outer].map((cidr) => (cidr.includes("/") ? parseCidr(cidr) : undefined));
    return innerRange?.family === "IPv4" && outerRange?.family === "IPv4" && innerRange.first >= outerRange.first && innerRange.last <= outerRange.last;
}
